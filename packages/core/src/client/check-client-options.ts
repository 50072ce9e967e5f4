import { STRATEGIES } from '../balancing/strategy';
import { MeshError } from '../errors/mesh-error';
import { checkMillis, checkNumber, checkOptionalMillis, describeValue } from '../options/check-millis';
import type { BreakerOptions, ClientResilienceOptions, RetryBudgetOptions } from '../resilience/resilience-options';
import { compileRetry } from '../resilience/retry-policy';
import { checkedRateLimit } from '../scanner/resilience-check';
import type { ClientPolicyOptions } from './request-options';

/**
 * Checks what a client is made with (`createClient`, and `createApp` for `app.client`): the
 * default timeout, resilience defaults, strategy and zone. Runs once, when the client is made.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the option (`where` says whose) and its allowed range.
 */
export function checkClientOptions(options: ClientPolicyOptions & { timeout?: unknown }, where: string): void {
  if (typeof options !== 'object' || options === null) throw new MeshError('INVALID_OPTIONS', `${where} options are ${describeValue(options)}: pass an object.`);
  if (options.timeout !== undefined) checkMillis(options.timeout, `${where} option timeout`);
  const strategy = options.strategy;
  if (strategy !== undefined && !STRATEGIES.has(strategy)) {
    throw new MeshError('INVALID_OPTIONS', `${where} option strategy is ${describeValue(strategy)}: use one of ${[...STRATEGIES].join(', ')}.`);
  }
  if (options.zone !== undefined && typeof options.zone !== 'string') {
    throw new MeshError('INVALID_OPTIONS', `${where} option zone is ${describeValue(options.zone)}: use a string.`);
  }
  checkClientResilience(options.resilience, `${where} option resilience`);
}

function checkClientResilience(r: ClientResilienceOptions | undefined, where: string): void {
  if (r === undefined) return;
  if (typeof r !== 'object' || r === null) throw new MeshError('INVALID_OPTIONS', `${where} is ${describeValue(r)}: use an object.`);
  if (r.retry !== undefined) compileRetry(r.retry, where);
  if (r.budget !== undefined && r.budget !== false) checkBudget(r.budget, `${where}.budget`);
  if (r.breaker !== undefined) checkBreaker(r.breaker, `${where}.breaker`);
  if (r.throttle !== undefined) checkedRateLimit(r.throttle, `${where}.throttle`);
}

function checkBudget(b: RetryBudgetOptions, where: string): void {
  if (b.ratio !== undefined) checkNumber(b.ratio, `${where}.ratio`, 0, Infinity);
  checkOptionalMillis(b.window, `${where}.window`);
  if (b.minRetries !== undefined) checkNumber(b.minRetries, `${where}.minRetries`, 0, Infinity, true);
}

function checkBreaker(b: BreakerOptions, where: string): void {
  if (b.consecutiveFailures !== undefined) checkNumber(b.consecutiveFailures, `${where}.consecutiveFailures`, 1, Infinity, true);
  if (b.failureRatio !== undefined) checkNumber(b.failureRatio, `${where}.failureRatio`, 0, 1);
  if (b.minCalls !== undefined) checkNumber(b.minCalls, `${where}.minCalls`, 1, Infinity, true);
  checkOptionalMillis(b.window, `${where}.window`);
  checkOptionalMillis(b.halfOpenAfter, `${where}.halfOpenAfter`);
}
