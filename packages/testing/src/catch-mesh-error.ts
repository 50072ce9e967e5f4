import { MeshError } from '@natsmesh/core';

/**
 * Awaits a promise that must fail with a {@link MeshError} and returns the error, so a test
 * can assert on its code, status and details. Anything else (success, another error) fails.
 *
 * @example
 * const err = await catchMeshError(client.request('hotel.booking.save', { room: 0 }));
 * expect(err.code).toBe('VALIDATION_FAILED');
 */
export async function catchMeshError(promise: Promise<unknown>): Promise<MeshError> {
  try {
    await promise;
  } catch (err) {
    if (MeshError.is(err)) return err;
    throw err;
  }
  throw new Error('expected the promise to reject with a MeshError, but it resolved');
}
