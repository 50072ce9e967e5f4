import { CircuitBreaker, type CircuitEvent, type CircuitState } from '../resilience/circuit-breaker';
import type { ClientResilienceOptions, RetryOptions } from '../resilience/resilience-options';
import { RetryBudget } from '../resilience/retry-budget';
import { TokenBucket } from '../resilience/token-bucket';
import { compileRetry, type RetryPolicy } from '../resilience/retry-policy';

/** What a client knows about an endpoint's retry safety, from its `@Handle` options. */
export interface EndpointPolicy {
  readonly idempotent?: boolean;
  readonly retry?: RetryOptions | false;
}

/** The per-call options that pick a policy. */
export interface PolicyChoice {
  readonly retry?: RetryOptions | false;
  readonly idempotent?: boolean;
}

/**
 * A client's resilience state, made only once a policy is configured: endpoint policies
 * learned from service classes, and one breaker and retry budget per subject, made on first use.
 */
export class CallPolicies {
  private readonly endpoints = new Map<string, EndpointPolicy>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly budgets = new Map<string, RetryBudget>();
  private readonly throttles = new Map<string, TokenBucket>();
  private readonly defaultRetry: RetryPolicy | undefined;

  constructor(
    private readonly defaults: ClientResilienceOptions,
    private readonly onCircuit: (event: CircuitEvent) => void,
  ) {
    this.defaultRetry = defaults.retry === undefined ? undefined : compileRetry(defaults.retry, 'the client');
  }

  /** True when calls on `subject` need the policy path without per-call options. */
  covers(subject: string): boolean {
    return this.defaults.breaker !== undefined || this.defaults.throttle !== undefined || this.endpoints.has(subject);
  }

  /** Records what an endpoint declares (`@Handle({ idempotent, retry })`). */
  register(subject: string, policy: EndpointPolicy): void {
    if (policy.retry) compileRetry(policy.retry, `"${subject}"`);
    this.endpoints.set(subject, policy);
  }

  /**
   * The retry policy of a call: the call's own, else the endpoint's, else the client's default
   * when the endpoint (or the call) is idempotent; none otherwise.
   */
  retryOf(subject: string, call: PolicyChoice | undefined): RetryPolicy | undefined {
    if (call?.retry === false) return undefined;
    if (call?.retry !== undefined) return compileRetry(call.retry, `the call to "${subject}"`);
    const endpoint = this.endpoints.get(subject);
    if (endpoint?.retry === false) return undefined;
    if (endpoint?.retry !== undefined) return compileRetry(endpoint.retry, `"${subject}"`);
    return call?.idempotent === true || endpoint?.idempotent === true ? this.defaultRetry : undefined;
  }

  /** The retry budget of a subject, or undefined when budgets are off. */
  budgetOf(subject: string): RetryBudget | undefined {
    const options = this.defaults.budget;
    return options === false ? undefined : perSubject(this.budgets, subject, () => new RetryBudget(options));
  }

  /** The client-side rate limit of a subject, or undefined when the client has none. */
  throttleOf(subject: string): TokenBucket | undefined {
    const options = this.defaults.throttle;
    return options === undefined ? undefined : perSubject(this.throttles, subject, () => new TokenBucket(options));
  }

  /** The breaker of a subject, or undefined when the client has no breaker policy. */
  breakerOf(subject: string): CircuitBreaker | undefined {
    const options = this.defaults.breaker;
    return options === undefined ? undefined : perSubject(this.breakers, subject, () => new CircuitBreaker(subject, options, this.onCircuit));
  }

  /** True when the client has a breaker policy. */
  hasBreakers(): boolean {
    return this.defaults.breaker !== undefined;
  }

  /** The subject and current state of every breaker made so far (read when metrics are scraped). */
  *breakerStates(): IterableIterator<readonly [string, CircuitState]> {
    for (const [subject, breaker] of this.breakers) yield [subject, breaker.current];
  }

  /** The breaker of a subject if one was made. */
  existingBreaker(subject: string): CircuitBreaker | undefined {
    return this.breakers.get(subject);
  }
}

/** The state kept for `subject` in `map`, made on first use. */
function perSubject<T>(map: Map<string, T>, subject: string, make: () => T): T {
  let value = map.get(subject);
  if (value === undefined) map.set(subject, (value = make()));
  return value;
}
