import { MeshError } from '../errors/mesh-error';
import type { BulkheadOptions, RateLimitOptions, RetryOptions } from '../resilience/resilience-options';
import { compileRetry } from '../resilience/retry-policy';

/**
 * A copy of retry options, checked.
 *
 * @throws MeshError `INVALID_OPTIONS` naming where it was declared.
 */
export function checkedRetry(options: RetryOptions, where: string): RetryOptions {
  const copy = { ...options, retryOn: options.retryOn === undefined ? undefined : [...options.retryOn] };
  compileRetry(copy, where);
  return copy;
}

/**
 * A copy of rate-limit options, checked.
 *
 * @throws MeshError `INVALID_OPTIONS` naming where it was declared.
 */
export function checkedRateLimit(options: RateLimitOptions, where: string): RateLimitOptions {
  if (!(Number.isFinite(options.rate) && options.rate > 0)) throw invalid(where, `rateLimit.rate is ${String(options.rate)}: use requests per second > 0`);
  if (options.burst !== undefined && !(Number.isFinite(options.burst) && options.burst >= 1)) {
    throw invalid(where, `rateLimit.burst is ${String(options.burst)}: use a number ≥ 1`);
  }
  return { ...options };
}

/**
 * A copy of bulkhead options, checked.
 *
 * @throws MeshError `INVALID_OPTIONS` naming where it was declared.
 */
export function checkedBulkhead(options: BulkheadOptions, where: string): BulkheadOptions {
  if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1)) {
    throw invalid(where, `bulkhead.concurrency is ${String(options.concurrency)}: use a whole number ≥ 1`);
  }
  if (options.queue !== undefined && !(Number.isInteger(options.queue) && options.queue >= 0)) {
    throw invalid(where, `bulkhead.queue is ${String(options.queue)}: use a whole number ≥ 0`);
  }
  return { ...options };
}

function invalid(where: string, problem: string): MeshError {
  return new MeshError('INVALID_OPTIONS', `${where}: ${problem}.`);
}
