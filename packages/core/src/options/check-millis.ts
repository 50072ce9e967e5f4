import { MeshError } from '../errors/mesh-error';

/** The longest delay Node's timers keep (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A checked duration in ms: finite, above 0 (or at least 0 with `zero`), at most {@link MAX_TIMER_MS}.
 *
 * @throws MeshError `INVALID_OPTIONS` naming `what` and the allowed range.
 */
export function checkMillis(value: unknown, what: string, zero = false): number {
  if (typeof value === 'number' && (zero ? value >= 0 : value > 0) && value <= MAX_TIMER_MS) return value;
  throw new MeshError(
    'INVALID_OPTIONS',
    `${what} is ${describeValue(value)}: use milliseconds ${zero ? 'from 0' : 'above 0'} up to ${MAX_TIMER_MS} (about 24.8 days).`,
  );
}

/** A checked optional duration: undefined stays undefined. */
export function checkOptionalMillis(value: unknown, what: string, zero = false): number | undefined {
  return value === undefined ? undefined : checkMillis(value, what, zero);
}

/**
 * A checked number in `[min, max]`, whole when `integer`.
 *
 * @throws MeshError `INVALID_OPTIONS` naming `what` and the allowed range.
 */
export function checkNumber(value: unknown, what: string, min: number, max: number, integer = false): number {
  if (typeof value === 'number' && value >= min && value <= max && (!integer || Number.isInteger(value))) return value;
  const range = max === Infinity ? `${min} or more` : `from ${min} to ${max}`;
  throw new MeshError('INVALID_OPTIONS', `${what} is ${describeValue(value)}: use a ${integer ? 'whole number' : 'number'} ${range}.`);
}

/** How a bad option value reads in a message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  return typeof value;
}
