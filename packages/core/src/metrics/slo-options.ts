import { CODE_LABEL_PATTERN } from './code-label';
import { ERROR_CODES } from '../errors/error-codes';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import { DURATION_BUCKETS } from './mesh-metrics';

/**
 * The service level objective of one endpoint: `@Handle(name, { slo })`. natsmesh does nothing
 * with it per message; `natsmesh alerts` turns it into Prometheus alerting rules over
 * `natsmesh_requests_total` and `natsmesh_request_duration_seconds` (docs/observability.md, "SLOs").
 *
 * @example
 * \@Handle('save', { slo: { errorRate: 0.001, p99: 250 } }) // 99.9 % succeed, 99 % answer within 250 ms
 */
export interface SloOptions {
  /**
   * 99th percentile of the time to answer, in ms: above 0 and below 10000. The histogram's largest
   * bucket is 10 s and `histogram_quantile` never reports more, so a p99 of 10 s could never be exceeded.
   */
  readonly p99?: number;
  /**
   * Fraction of requests allowed to fail, above 0 and below 1 (0.001: 99.9 % succeed) over `window`.
   * Only server faults count as failures; see {@link SLO_GOOD_CODES}.
   */
  readonly errorRate?: number;
  /** The period the error budget covers, in whole days (`'30d'`) or weeks (`'4w'`), 3 days or more; default `natsmesh alerts --window`, else `'30d'`. */
  readonly window?: string;
  /** Error codes of your own that are the caller's doing (a 4xx status, e.g. `PAYMENT_DECLINED`): they do not spend the error budget either. */
  readonly clientCodes?: readonly string[];
}

/**
 * The `code` values of `natsmesh_requests_total` that never spend an error budget: `OK` and
 * natsmesh's own codes with a 4xx status (the caller's mistake or a limit the caller hit, such
 * as `VALIDATION_FAILED`, `NOT_FOUND`, `FORBIDDEN`, `RATE_LIMITED`). Every other code counts as
 * a failure: 5xx codes (`INTERNAL`, `UNAVAILABLE`, `TIMEOUT`, `NO_RESPONDERS`, `CIRCUIT_OPEN`, …),
 * `EXPIRED` (dropped unanswered for its deadline) and codes of your own not listed in `clientCodes`.
 */
export const SLO_GOOD_CODES: readonly string[] = Object.freeze([
  'OK',
  ...Object.entries(ERROR_CODES)
    .filter(([, v]) => v.status < 500)
    .map(([code]) => code),
]);

// A p99 must be below it: histogram_quantile answers at most the largest finite bucket bound.
const MAX_P99_MS = DURATION_BUCKETS[DURATION_BUCKETS.length - 1]! * 1000;
const WINDOW = /^([1-9][0-9]{0,3})([dw])$/;

/** Days in an SLO window such as `'30d'` or `'4w'`; undefined when it is not one. */
export function windowDays(window: string): number | undefined {
  const m = WINDOW.exec(window);
  if (!m) return undefined;
  const days = Number(m[1]) * (m[2] === 'w' ? 7 : 1);
  return days >= 3 ? days : undefined;
}

/**
 * A checked copy of an endpoint's SLO.
 *
 * @throws MeshError `INVALID_OPTIONS` naming where it was declared and what to use instead.
 */
export function checkedSlo(value: unknown, where: string): SloOptions {
  const fail = (problem: string) => new MeshError('INVALID_OPTIONS', `${where}: ${problem}.`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(`option slo is ${describeValue(value)}: use { errorRate?, p99?, window?, clientCodes? }, e.g. { errorRate: 0.001, p99: 250 }`);
  }
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !['p99', 'errorRate', 'window', 'clientCodes'].includes(k));
  if (unknown.length > 0) throw fail(`slo has unknown option(s) ${unknown.join(', ')}: use p99 (ms), errorRate (a fraction), window ('30d') and clientCodes`);
  const { p99, errorRate, window, clientCodes } = o;
  if (p99 === undefined && errorRate === undefined) {
    throw fail('slo sets neither p99 nor errorRate: give at least one, e.g. { errorRate: 0.001 } (99.9 % succeed) or { p99: 250 } (ms)');
  }
  if (p99 !== undefined && !(typeof p99 === 'number' && Number.isFinite(p99) && p99 > 0 && p99 < MAX_P99_MS)) {
    throw fail(
      `slo.p99 is ${describeValue(p99)}: use milliseconds above 0 and below ${MAX_P99_MS} ` +
        `(natsmesh_request_duration_seconds has no finite bucket above ${MAX_P99_MS / 1000} s, so histogram_quantile never reports more than ${MAX_P99_MS / 1000} s and a p99 alert at ${MAX_P99_MS / 1000} s or more could never fire)`,
    );
  }
  if (errorRate !== undefined && !(typeof errorRate === 'number' && errorRate > 0 && errorRate < 1)) {
    throw fail(`slo.errorRate is ${describeValue(errorRate)}: use the fraction of requests allowed to fail, above 0 and below 1 (0.001 for 99.9 % success)`);
  }
  if (window !== undefined && (errorRate === undefined || typeof window !== 'string' || windowDays(window) === undefined)) {
    throw fail(
      errorRate === undefined
        ? 'slo.window is set without errorRate: the window is the period of the error budget; add errorRate or drop window'
        : `slo.window is ${describeValue(window)}: use whole days or weeks, 3 days or more, such as '30d', '28d' or '4w'`,
    );
  }
  if (clientCodes !== undefined && !(Array.isArray(clientCodes) && clientCodes.every((c) => typeof c === 'string' && c.length > 0))) {
    throw fail(`slo.clientCodes is ${describeValue(clientCodes)}: use an array of error codes, e.g. ['PAYMENT_DECLINED']`);
  }
  const odd = Array.isArray(clientCodes) ? (clientCodes as string[]).findIndex((c) => !CODE_LABEL_PATTERN.test(c)) : -1;
  if (odd >= 0) {
    const code = (clientCodes as string[])[odd];
    throw fail(
      `slo.clientCodes[${odd}] ${JSON.stringify(code)} is not counted under its own name: natsmesh_requests_total counts codes that do not match ${CODE_LABEL_PATTERN.source} as OTHER; use the code in capitals (${JSON.stringify(code.toUpperCase())}) and throw it so`,
    );
  }
  if (clientCodes !== undefined && errorRate === undefined) {
    throw fail('slo.clientCodes is set without errorRate: the codes only matter to the error budget; add errorRate or drop clientCodes');
  }
  const copy: { -readonly [K in keyof SloOptions]: SloOptions[K] } = {};
  if (p99 !== undefined) copy.p99 = p99 as number;
  if (errorRate !== undefined) copy.errorRate = errorRate as number;
  if (window !== undefined) copy.window = window as string;
  if (clientCodes !== undefined) copy.clientCodes = [...new Set(clientCodes as string[])].sort();
  return copy;
}
