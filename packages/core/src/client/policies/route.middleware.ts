import { chooseVersion, type MirrorDecision } from '../../control/call-decision';
import { CALLER_OPTION, type WithCaller } from '../../control/caller-option';
import { MIRROR_HEADER } from '../../control/mirror-header';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware, Next } from '../../middleware/middleware';

/** What the route layer needs of its client. */
export interface RouteHost {
  /** The calling service's name when a call does not say (`createClient({ name })`, an app's one service). */
  readonly callerName: () => string | undefined;
  /** Sends a copy of the call to the mirror version, after the primary went out; never awaited. */
  readonly mirror: (ctx: CallContext, mirror: MirrorDecision, primary: unknown) => void;
}

/**
 * Outermost built-in of a call whose subject has a route or mirror rule (`ctx.decision`), once
 * per call: a route's match rules then weights pick the version (its instances are then balanced
 * with the call's strategy, round-robin when it has none), and a mirror's share of calls is
 * copied to the mirror version once the primary is sent. Calls on other subjects pass straight on.
 */
export class RouteMiddleware implements Middleware {
  readonly name = 'route';
  constructor(private readonly host: RouteHost) {}

  call(ctx: CallContext, next: Next): unknown {
    const decision = ctx.decision;
    if (decision === undefined) return next();
    const route = decision.route;
    if (route !== undefined) {
      const caller = (ctx.options as WithCaller)[CALLER_OPTION] ?? this.host.callerName();
      const version = chooseVersion(route, ctx.headersIfAny, caller, Math.random());
      if (version !== undefined) {
        ctx.version = version;
        ctx.unrouted = ctx.strategy;
        if (ctx.strategy === undefined || ctx.strategy === 'queue') ctx.strategy = 'round-robin';
      }
    }
    const mirror = decision.mirror;
    if (mirror === undefined || Math.random() >= mirror.share || ctx.headersIfAny?.has(MIRROR_HEADER)) return next();
    const out = next();
    this.host.mirror(ctx, mirror, out);
    return out;
  }
}
