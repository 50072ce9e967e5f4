import type { MeshError } from '../errors/mesh-error';

const refusals = new WeakSet<MeshError>();

/**
 * Marks an error a built-in throws to turn a request away (rate limit, full bulkhead): it is
 * answered like any error but not logged, since under load that would be a line per request.
 */
export function refusal<E extends MeshError>(err: E): E {
  refusals.add(err);
  return err;
}

/** True for an error made by {@link refusal}. */
export function isRefusal(err: unknown): boolean {
  return typeof err === 'object' && err !== null && refusals.has(err as MeshError);
}
