/**
 * Retry policy of a call. Only the listed codes retry; `VALIDATION_FAILED`, `FORBIDDEN` and
 * `BAD_REQUEST` never do.
 */
export interface RetryOptions {
  /** Attempts in all, the first included (3). */
  readonly attempts?: number;
  /** Backoff before the first retry, ms (50); doubled (`factor`) each time, up to `maxDelay`, with full jitter. */
  readonly initialDelay?: number;
  /** Longest backoff, ms (1000). */
  readonly maxDelay?: number;
  /** Growth of the backoff per retry (2). */
  readonly factor?: number;
  /**
   * Time one attempt may take, ms; default what is left of the call's timeout (so a `TIMEOUT`
   * ends the call). The call's timeout stays the bound of all attempts and backoffs together.
   */
  readonly attemptTimeout?: number;
  /** Codes that retry; default `TIMEOUT`, `UNAVAILABLE`, `NO_RESPONDERS`, `RATE_LIMITED`. */
  readonly retryOn?: readonly string[];
}

/**
 * Caps retries so an outage does not become a storm: over a sliding window, retries may be
 * at most `ratio` of first attempts (plus `minRetries`, so a quiet client can still retry).
 */
export interface RetryBudgetOptions {
  /** Retries allowed per first attempt in the window (0.2: 20% extra load at most). */
  readonly ratio?: number;
  /** Length of the sliding window, ms (10000). */
  readonly window?: number;
  /** Retries always allowed per window (10). */
  readonly minRetries?: number;
}

/** Circuit breaker of one subject (one endpoint, or one instance of it). */
export interface BreakerOptions {
  /** Open after this many failures in a row (5). */
  readonly consecutiveFailures?: number;
  /** Open when at least this share of the calls in the window failed (0.5)… */
  readonly failureRatio?: number;
  /** …and the window saw at least this many calls (20). */
  readonly minCalls?: number;
  /** Length of the sliding window for the ratio, ms (10000). */
  readonly window?: number;
  /** Stay open this long, then let one probe call through (half-open), ms (5000). */
  readonly halfOpenAfter?: number;
}

/** Token bucket of an endpoint: `rate` requests per second on average, bursts up to `burst`. */
export interface RateLimitOptions {
  /** Requests per second. */
  readonly rate: number;
  /** Bucket size: requests accepted at once after a quiet spell (default `rate`, at least 1). */
  readonly burst?: number;
}

/** Bound on concurrent handler runs of an endpoint, per instance. */
export interface BulkheadOptions {
  /** Handler runs at once. */
  readonly concurrency: number;
  /** Requests that may wait for a free slot (0); more are answered `UNAVAILABLE` at once. */
  readonly queue?: number;
}

/** The caller side of resilience: defaults of a client (`createClient`, `createApp`). */
export interface ClientResilienceOptions {
  /** Retry policy of calls to endpoints marked `idempotent` (and of calls that say `idempotent: true`). */
  readonly retry?: RetryOptions;
  /** Retry budget per subject; `false` turns it off (not advised). Default `{ ratio: 0.2, window: 10000, minRetries: 10 }`. */
  readonly budget?: RetryBudgetOptions | false;
  /** Circuit breaker for every subject the client calls. Off by default. */
  readonly breaker?: BreakerOptions;
  /**
   * Client-side rate limit per subject: calls over it fail at once with `RATE_LIMITED`
   * (details `{ retryAfterMs }`) without being sent. Off by default.
   */
  readonly throttle?: RateLimitOptions;
}

/** App-wide resilience defaults: the client's, plus server defaults for every endpoint. */
export interface AppResilienceOptions extends ClientResilienceOptions {
  /** Rate limit of every endpoint that sets none. */
  readonly rateLimit?: RateLimitOptions;
  /** Bulkhead of every endpoint that sets none. */
  readonly bulkhead?: BulkheadOptions;
}
