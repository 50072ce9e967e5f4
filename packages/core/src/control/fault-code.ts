import { CODE_LABEL_PATTERN, OTHER_CODE } from '../metrics/code-label';
import { EXPIRED_CODE } from '../metrics/endpoint-meter';

// Codes that mean something else in the metrics' `code` label: an abort with them would read as success or as a dropped request.
const RESERVED = new Set(['OK', OTHER_CODE, EXPIRED_CODE]);

/**
 * What is wrong with the `code` of a fault's `abort`, or undefined when it can be used: a natsmesh
 * code (`UNAVAILABLE`, `TIMEOUT`, see errors/error-codes.ts) or one of your own written like them
 * (capitals, digits and `_`, starting with a capital, at most 64 characters), but not `OK`,
 * `OTHER` or `EXPIRED`, which the metrics' `code` label uses for other outcomes.
 */
export function faultCodeProblem(code: unknown): string | undefined {
  if (typeof code !== 'string' || !CODE_LABEL_PATTERN.test(code)) {
    return `abort.code ${JSON.stringify(code)} is not an error code: write a natsmesh code such as UNAVAILABLE or TIMEOUT, or a code of your own in capitals, digits and _ (${CODE_LABEL_PATTERN.source})`;
  }
  if (RESERVED.has(code)) return `abort.code ${code} names no failure (the metrics use it for another outcome): write a failure code such as UNAVAILABLE or INTERNAL`;
  return undefined;
}
