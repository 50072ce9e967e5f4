import type { MeshError } from '../errors/mesh-error';

const refusals = new WeakSet<MeshError>();

/**
 * Marks an error a middleware throws to turn a message away on purpose (the built-in rate limit
 * and bulkhead, a guard, your own load shedding): the caller gets it like any error, but it is
 * not logged (under load that would be a line per request), and a durable event refused with it
 * goes to the dead letters at once instead of being redelivered. Returns the error.
 *
 * @example
 * if (queueDepth() > 1000) throw refusal(new MeshError('UNAVAILABLE', 'Too busy: retry in a second.'));
 */
export function refusal<E extends MeshError>(err: E): E {
  refusals.add(err);
  return err;
}

/** True for an error made by {@link refusal}. */
export function isRefusal(err: unknown): boolean {
  return typeof err === 'object' && err !== null && refusals.has(err as MeshError);
}
