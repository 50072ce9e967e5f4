import type { Balancer } from '../../balancing/balancer';
import { compose, type Step } from '../../middleware/compose';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware } from '../../middleware/middleware';
import { callLayers } from '../../middleware/client-layers';
import type { CallPolicies } from '../call-policies';
import type { PolicyObserver } from '../../metrics/client-metrics';
import { BalanceMiddleware } from './balance.middleware';
import { BreakerMiddleware } from './breaker.middleware';
import { FallbackMiddleware } from './fallback.middleware';
import { RetryMiddleware } from './retry.middleware';
import { attemptSendStep, type Send } from './send-step';
import { StrategyMiddleware } from './strategy.middleware';
import { RouteMiddleware, type RouteHost } from './route.middleware';
import { ThrottleMiddleware } from './throttle.middleware';

/** What the built-in policies need of their client. */
export interface PolicyChainHost {
  readonly policies: CallPolicies;
  /** Whether the client has a client-wide rate limit and a breaker policy (fixed when it is made). */
  readonly throttled: boolean;
  readonly broken: boolean;
  readonly send: Send;
  readonly balancer: () => Balancer | Promise<Balancer>;
  /** Told of retries and throttle refusals when metrics are on; undefined when off. */
  readonly observer?: PolicyObserver;
  /** The caller's name and where mirror copies go, for calls on subjects with route or mirror rules. */
  readonly route: RouteHost;
  /** Told of each attempt a route rule sent to a version with no known instance. */
  readonly onUnrouted: (subject: string, version: string) => void;
}

/**
 * The built-in client policies as one `call` pipeline, composed once per client, outermost
 * first: route and mirror (picks the version, once per call) → strategy (waits for the balancer, once per call) → fallback → retry and budget →
 * balance (picks an instance per attempt) → throttle → breaker → send one attempt. Route and
 * mirror are in the chain only with `routed` (the chain of calls on subjects with rules), throttle
 * and breaker only when the client has them; the others pass a call that does not use them
 * straight on.
 */
export function policyChain(host: PolicyChainHost, routed: boolean): Step<CallContext> {
  const { policies } = host;
  const isOpen = policies.hasBreakers() ? (s: string) => policies.existingBreaker(s)?.current === 'open' : undefined;
  const builtIns: Middleware[] = [
    ...(routed ? [new RouteMiddleware(host.route)] : []),
    new StrategyMiddleware(host.balancer),
    new FallbackMiddleware(),
    new RetryMiddleware(policies, host.observer),
    new BalanceMiddleware(host.send, isOpen, host.onUnrouted),
  ];
  if (host.throttled) builtIns.push(new ThrottleMiddleware(policies, host.observer));
  if (host.broken) builtIns.push(new BreakerMiddleware(policies));
  return compose(callLayers(builtIns), attemptSendStep(host.send));
}
