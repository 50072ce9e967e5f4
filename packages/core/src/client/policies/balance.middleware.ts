import type { Balancer, Target } from '../../balancing/balancer';
import { toMeshError } from '../../errors/to-mesh-error';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware, Next } from '../../middleware/middleware';
import type { Send } from './send-step';

/**
 * Per attempt of a call with a client-side strategy: picks the instance (skipping those whose
 * circuit is open), reports to the balancer how the attempt went, and when the instance went
 * away between the registry's view and the call (`NO_RESPONDERS`), forgets it and resends to
 * the queue subject, so the queue group picks.
 */
export class BalanceMiddleware implements Middleware {
  readonly name = 'balance';

  constructor(
    private readonly send: Send,
    private readonly isOpen: ((instanceSubject: string) => boolean) | undefined,
  ) {}

  call(ctx: CallContext, next: Next): unknown {
    const balancer = ctx.balancer;
    if (balancer === undefined) return next();
    const target = balancer.pick(ctx.subject, ctx.strategy!, ctx.balanceKey, this.isOpen);
    ctx.target = target;
    if (target === undefined) return next();
    return this.attempt(ctx, next, balancer, target);
  }

  private async attempt(ctx: CallContext, next: Next, balancer: Balancer, target: Target): Promise<unknown> {
    let ok = false;
    try {
      const value = await next();
      ok = true;
      return value;
    } catch (e) {
      const err = toMeshError(e);
      if (err.code !== 'NO_RESPONDERS') throw err;
      balancer.forget(target.instanceId);
      return this.send(ctx.subject, ctx.payload, Math.max(1, ctx.deadline - Date.now()), ctx.headersIfAny, ctx);
    } finally {
      balancer.done(target, ok);
    }
  }
}
