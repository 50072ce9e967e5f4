import type { MeshError } from '../../errors/mesh-error';
import { toMeshError } from '../../errors/to-mesh-error';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware, Next } from '../../middleware/middleware';
import type { RetryBudget } from '../../resilience/retry-budget';
import { backoffDelay, type RetryPolicy } from '../../resilience/retry-policy';
import type { CallPolicies } from '../call-policies';
import type { PolicyObserver } from '../../metrics/client-metrics';

/**
 * Retries a call by running the rest of the pipeline (`next()`) again: the call's retry policy,
 * else the endpoint's, else the client's for idempotent calls. A retry waits its backoff, only
 * for the policy's codes, only when the backoff ends before the call's deadline and the
 * subject's retry budget allows it.
 *
 * @throws MeshError the last attempt's error; `INVALID_OPTIONS` for a bad retry policy.
 */
export class RetryMiddleware implements Middleware {
  readonly name = 'retry';

  constructor(
    private readonly policies: CallPolicies,
    private readonly observer?: PolicyObserver,
  ) {}

  call(ctx: CallContext, next: Next): unknown {
    const retry = this.policies.retryOf(ctx.subject, ctx.options);
    if (retry === undefined) return next();
    ctx.retry = retry;
    const budget = this.policies.budgetOf(ctx.subject);
    budget?.first();
    return attempts(ctx, next, retry, budget, this.observer);
  }
}

async function attempts(ctx: CallContext, next: Next, retry: RetryPolicy, budget: RetryBudget | undefined, observer: PolicyObserver | undefined): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    let err: MeshError;
    try {
      return await next();
    } catch (e) {
      err = toMeshError(e);
    }
    if (attempt < retry.attempts && retry.retryOn.has(err.code)) {
      const delay = backoffDelay(retry, attempt, err);
      if (Date.now() + delay < ctx.deadline - 1 && (budget === undefined || budget.tryRetry())) {
        observer?.retried(ctx.subject);
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
    }
    throw err;
  }
}
