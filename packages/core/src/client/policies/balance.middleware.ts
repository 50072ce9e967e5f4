import type { Balancer, Target } from '../../balancing/balancer';
import { toMeshError } from '../../errors/to-mesh-error';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware, Next } from '../../middleware/middleware';
import type { Send } from './send-step';

/**
 * Per attempt of a call with a client-side strategy: picks the instance (skipping those whose
 * circuit is open), reports to the balancer how the attempt went, and when the instance went
 * away between the registry's view and the call (`NO_RESPONDERS`), forgets it and resends to
 * the queue subject, so the queue group picks. A call routed to a version (`ctx.version`) goes to an
 * instance of that version; when none is known, to what the call's own strategy picks.
 */
export class BalanceMiddleware implements Middleware {
  readonly name = 'balance';

  constructor(
    private readonly send: Send,
    private readonly isOpen: ((instanceSubject: string) => boolean) | undefined,
    /** Told of each attempt that a route rule sent to a version with no known instance. */
    private readonly onUnrouted?: (subject: string, version: string) => void,
  ) {}

  call(ctx: CallContext, next: Next): unknown {
    const balancer = ctx.balancer;
    if (balancer === undefined) return next();
    let target = balancer.pick(ctx.subject, ctx.strategy!, ctx.balanceKey, this.isOpen, ctx.version);
    if (target === undefined && ctx.version !== undefined) {
      // No instance of the routed version is known: the call is balanced as it would be without the rule.
      this.onUnrouted?.(ctx.subject, ctx.version.version);
      const unrouted = ctx.unrouted;
      target = unrouted === undefined || unrouted === 'queue' ? undefined : balancer.pick(ctx.subject, unrouted, ctx.balanceKey, this.isOpen);
    }
    ctx.target = target;
    if (target === undefined) return next();
    return onTarget(balancer, target, next, () => this.send(ctx.subject, ctx.payload, Math.max(1, ctx.deadline - Date.now()), ctx.headersIfAny, ctx));
  }
}

/**
 * Runs one attempt on the instance `target` and reports to the balancer how it went; when the
 * instance went away between the registry's view and the call (`NO_RESPONDERS`), forgets it and
 * runs `resend` (to the queue subject) instead.
 */
export async function onTarget(balancer: Balancer, target: Target, attempt: () => unknown, resend: () => Promise<unknown>): Promise<unknown> {
  let ok = false;
  try {
    const value = await attempt();
    ok = true;
    return value;
  } catch (e) {
    const err = toMeshError(e);
    if (err.code !== 'NO_RESPONDERS') throw err;
    balancer.forget(target.instanceId);
    return resend();
  } finally {
    balancer.done(target, ok);
  }
}
