/**
 * The errors a database library throws, as the in-memory {@link BookingRepository} stands in
 * for one: they know nothing of natsmesh, and the `BookingStoreErrors` interceptor turns them
 * into `MeshError` codes a caller can act on.
 */

/** No record has the key. */
export class RecordNotFoundError extends Error {
  constructor(
    readonly table: string,
    readonly key: string,
  ) {
    super(`${table} record ${key} not found`);
    this.name = 'RecordNotFoundError';
  }
}

/** A conditional update found the record in another state than the one it expected (optimistic concurrency). */
export class StaleRecordError extends Error {
  constructor(
    readonly table: string,
    readonly key: string,
    readonly expected: Readonly<Record<string, unknown>>,
    readonly actual: Readonly<Record<string, unknown>>,
  ) {
    super(`${table} record ${key} does not match ${JSON.stringify(expected)}`);
    this.name = 'StaleRecordError';
  }
}
