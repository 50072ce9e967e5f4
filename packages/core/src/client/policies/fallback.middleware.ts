import { MeshError } from '../../errors/mesh-error';
import { thrownMessage, toMeshError } from '../../errors/to-mesh-error';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware, Next } from '../../middleware/middleware';

/**
 * The call's `fallback`, outside retries: once the attempts failed with an availability error
 * (status ≥ 500 or `RATE_LIMITED`), resolves with the fallback value, or what the fallback
 * function returns when called with the error (it may throw it). Other errors pass through.
 */
export class FallbackMiddleware implements Middleware {
  readonly name = 'fallback';

  call(ctx: CallContext, next: Next): unknown {
    const fallback = ctx.options.fallback;
    if (fallback === undefined) return next();
    return withFallback(fallback, next);
  }
}

async function withFallback(fallback: unknown, next: Next): Promise<unknown> {
  try {
    return await next();
  } catch (e) {
    const err = toMeshError(e);
    if (!(err.status >= 500 || err.code === 'RATE_LIMITED')) throw err;
    if (typeof fallback !== 'function') return fallback;
    try {
      return await (fallback as (e: MeshError) => unknown)(err);
    } catch (thrown) {
      // The fallback function is the caller's code: what it throws still reaches the caller as a MeshError.
      throw toMeshError(thrown, `The fallback of the call failed with ${thrownMessage(thrown, 'a value that cannot be read')} after ${err.code}: throw a MeshError from it.`);
    }
  }
}
