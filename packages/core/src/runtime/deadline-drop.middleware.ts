import type { HandleContext, Middleware, Next } from '../middleware/middleware';
import { NO_REPLY } from './no-reply';

/**
 * Built-in, outermost on every endpoint that has middleware: a request whose caller's
 * deadline passed before it got here runs nothing and gets no reply (nobody waits for it);
 * `$SRV.STATS` counts it in `data.expired`. An endpoint without middleware does the same check inline.
 */
export class DeadlineDrop implements Middleware {
  readonly name = 'deadline';

  handle(ctx: HandleContext, next: Next): unknown {
    return ctx.deadline <= Date.now() ? NO_REPLY : next();
  }
}
