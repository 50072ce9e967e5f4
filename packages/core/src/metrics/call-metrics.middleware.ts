import { MeshError } from '../errors/mesh-error';
import type { CallContext } from '../middleware/call-context';
import type { Middleware, Next } from '../middleware/middleware';
import { isThenable } from '../runtime/is-thenable';
import type { ClientMetrics } from './client-metrics';

/**
 * Built-in `call` middleware of a client with metrics on, outermost (outside the client's and the
 * call's middleware, the deadline that bounds them, and the retries): counts each call once, as
 * the caller saw it, under the subject called, and times it.
 */
export class CallMetrics implements Middleware {
  readonly name = 'metrics';

  constructor(private readonly metrics: ClientMetrics) {}

  call(ctx: CallContext, next: Next): unknown {
    const started = performance.now();
    let out: unknown;
    try {
      out = next();
    } catch (err) {
      this.metrics.seriesOf(ctx.subject).done(codeOf(err), seconds(started));
      throw err;
    }
    if (!isThenable(out)) {
      this.metrics.seriesOf(ctx.subject).done('OK', seconds(started));
      return out;
    }
    return this.metrics.timed(ctx.subject, started, Promise.resolve(out));
  }
}

/** Seconds since `started` (performance.now()). */
export function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}

/** The `code` label of a failed call: its MeshError code, else `INTERNAL`, as the caller sees it. */
export function codeOf(err: unknown): string {
  return MeshError.is(err) ? err.code : 'INTERNAL';
}
