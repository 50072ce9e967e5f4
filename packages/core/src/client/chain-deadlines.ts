import { MeshError } from '../errors/mesh-error';
import type { CallContext } from '../middleware/call-context';
import type { Step } from '../middleware/compose';
import { isThenable } from '../runtime/is-thenable';
import { DeadlineQueue, type Expirable } from './deadline-queue';
import { middlewareFailure } from './middleware-failure';

interface BoundCall extends Expirable {
  readonly ctx: CallContext;
  readonly reject: (err: MeshError) => void;
}

/**
 * Runs `call` pipelines that have user middleware within their call's deadline. The send has a
 * timeout of its own, but a middleware before it may never call `next()` or be slow: the caller
 * still gets `TIMEOUT` at the deadline. One timer for all calls (a {@link DeadlineQueue}), not
 * one each; calls without user middleware never come here.
 */
export class ChainDeadlines {
  private readonly queue = new DeadlineQueue<BoundCall>((b) => b.reject(chainTimeout(b.ctx)));

  /**
   * What `chain(ctx)` returns, as a promise that rejects with `TIMEOUT` at `ctx.deadline`;
   * failures become MeshErrors ({@link middlewareFailure}).
   */
  run(chain: Step<CallContext>, ctx: CallContext): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // Tracked before the chain runs, so each lane stays in deadline order even when a middleware calls again.
      const entry: BoundCall = { deadline: ctx.deadline, settled: false, ctx, reject };
      const lane = this.queue.track(entry, ctx.timeout);
      let out: unknown;
      try {
        out = chain(ctx);
      } catch (err) {
        this.queue.settle(entry, lane);
        reject(middlewareFailure(err, 'call', ctx.subject));
        return;
      }
      if (!isThenable(out)) {
        this.queue.settle(entry, lane);
        resolve(out);
        return;
      }
      out.then(
        (value) => {
          if (entry.settled) return;
          this.queue.settle(entry, lane);
          resolve(value);
        },
        (err: unknown) => {
          if (entry.settled) return;
          this.queue.settle(entry, lane);
          reject(middlewareFailure(err, 'call', ctx.subject));
        },
      );
    });
  }
}

function chainTimeout(ctx: CallContext): MeshError {
  return new MeshError(
    'TIMEOUT',
    `"${ctx.subject}": the call's middleware or the request did not finish within ${ctx.timeout} ms: check the call middleware (a promise that never settles, a slow lookup) and the service, or raise the timeout.`,
  );
}
