import type { CircuitBreaker } from '../../resilience/circuit-breaker';
import { MeshError } from '../../errors/mesh-error';
import { toMeshError } from '../../errors/to-mesh-error';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware, Next } from '../../middleware/middleware';
import type { CallPolicies } from '../call-policies';

/**
 * The circuit breaker of the subject an attempt goes to (the picked instance's, else the
 * endpoint's), per attempt: present only when the client has a breaker policy. Server-side
 * failures (status ≥ 500) count against the circuit; anything else counts as a success.
 *
 * @throws MeshError `CIRCUIT_OPEN` while the circuit is open; nothing is sent.
 */
export class BreakerMiddleware implements Middleware {
  readonly name = 'breaker';

  constructor(private readonly policies: CallPolicies) {}

  call(ctx: CallContext, next: Next): unknown {
    const to = ctx.target?.subject ?? ctx.subject;
    const breaker = this.policies.breakerOf(to);
    if (breaker === undefined) return next();
    if (!breaker.allow()) {
      throw new MeshError('CIRCUIT_OPEN', `The circuit of "${to}" is open after repeated failures: the call failed fast; it half-opens to probe soon.`, { subject: to });
    }
    return guarded(breaker, next);
  }
}

async function guarded(breaker: CircuitBreaker, next: Next): Promise<unknown> {
  try {
    const value = await next();
    breaker.success();
    return value;
  } catch (e) {
    const err = toMeshError(e);
    if (countsAsFailure(err)) breaker.failure();
    else breaker.success();
    throw err;
  }
}

/** Failures that say the service is unwell: server-side errors, not the caller's own mistakes nor a rate limit. */
function countsAsFailure(err: MeshError): boolean {
  return err.status >= 500 && err.code !== 'CIRCUIT_OPEN';
}
