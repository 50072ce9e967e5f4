import { MeshError } from '../errors/mesh-error';
import { checkOptionalMillis, describeValue, MAX_TIMER_MS } from '../options/check-millis';
import type { RetryOptions } from './resilience-options';

/** Codes that never retry, whatever a policy lists: the same request fails the same way. */
export const NEVER_RETRY: ReadonlySet<string> = new Set(['VALIDATION_FAILED', 'FORBIDDEN', 'BAD_REQUEST', 'UNAUTHORIZED', 'PAYLOAD_TOO_LARGE']);

const DEFAULT_RETRY_ON = ['TIMEOUT', 'UNAVAILABLE', 'NO_RESPONDERS', 'RATE_LIMITED'];

/** A retry policy with every default filled in, checked once. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly factor: number;
  readonly attemptTimeout: number | undefined;
  readonly retryOn: ReadonlySet<string>;
}

const compiled = new WeakMap<RetryOptions, RetryPolicy>();

/**
 * The checked policy of retry options (cached per options object).
 *
 * @throws MeshError `INVALID_OPTIONS` for a bad number, an attemptTimeout of 0, or a retryOn entry that is not a code string or is a code that must never retry.
 */
export function compileRetry(options: RetryOptions, where: string): RetryPolicy {
  if (typeof options !== 'object' || options === null) throw invalid(where, `it is ${String(options)}: use { attempts, initialDelay, … }, or false for none`);
  let policy = compiled.get(options);
  if (policy) return policy;
  const attempts = options.attempts ?? 3;
  if (!(Number.isInteger(attempts) && attempts >= 1)) throw invalid(where, `attempts is ${String(attempts)}: use a whole number ≥ 1`);
  for (const [name, v] of [['initialDelay', options.initialDelay], ['maxDelay', options.maxDelay]] as const) {
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= MAX_TIMER_MS)) throw invalid(where, `${name} is ${String(v)}: use milliseconds from 0 up to ${MAX_TIMER_MS}`);
  }
  // An attempt of 0 ms would time out before it is sent.
  const attemptTimeout = checkOptionalMillis(options.attemptTimeout, `The retry policy of ${where}: attemptTimeout`);
  const factor = options.factor ?? 2;
  if (!(typeof factor === 'number' && factor >= 1 && Number.isFinite(factor))) throw invalid(where, `factor is ${String(factor)}: use a finite number ≥ 1`);
  if (options.retryOn !== undefined && !Array.isArray(options.retryOn)) throw invalid(where, 'retryOn is not a list: use codes such as ["TIMEOUT"]');
  const retryOn = options.retryOn ?? DEFAULT_RETRY_ON;
  // A service's own codes (e.g. "OUT_OF_STOCK") may retry too: only non-codes are refused.
  const unknown = retryOn.filter((c) => !(typeof c === 'string' && c.length > 0));
  if (unknown.length > 0) throw invalid(where, `retryOn lists ${unknown.map((c) => describeValue(c)).join(', ')}, which are not error codes: use code strings such as ${DEFAULT_RETRY_ON.join(', ')}`);
  const bad = retryOn.filter((c) => NEVER_RETRY.has(c));
  if (bad.length > 0) throw invalid(where, `retryOn lists ${bad.join(', ')}, which never succeed on a retry: remove them`);
  policy = {
    attempts,
    initialDelay: options.initialDelay ?? 50,
    maxDelay: options.maxDelay ?? 1000,
    factor,
    attemptTimeout,
    retryOn: new Set(retryOn),
  };
  compiled.set(options, policy);
  return policy;
}

/**
 * Backoff before retry number `retry` (1 for the first): exponential, capped, with full
 * jitter so that callers failing together do not retry together. A `RATE_LIMITED` reply's
 * `retryAfterMs` is the least wait.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, err: MeshError): number {
  const cap = Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** (retry - 1));
  const jittered = Math.random() * cap;
  const after = (err.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof after === 'number' && after > jittered ? after : jittered;
}

function invalid(where: string, problem: string): MeshError {
  return new MeshError('INVALID_OPTIONS', `The retry policy of ${where}: ${problem}.`);
}
