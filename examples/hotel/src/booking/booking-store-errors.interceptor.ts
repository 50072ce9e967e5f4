import { MeshError, type EventContext, type HandleContext, type Middleware } from '@natsmesh/core';
import { RecordNotFoundError, StaleRecordError } from './store-errors';

/**
 * Interceptor of the booking service: maps the booking store's errors to codes a caller can
 * act on (`RecordNotFoundError` → `NOT_FOUND` 404, `StaleRecordError` → `CONFLICT` 409), so the
 * handlers need no try/catch. Any other error passes through unchanged (an unknown one still
 * reaches the caller as `INTERNAL`).
 */
export class BookingStoreErrors implements Middleware {
  error(_ctx: HandleContext | EventContext, err: unknown): undefined {
    if (err instanceof RecordNotFoundError) {
      throw new MeshError('NOT_FOUND', `No booking ${err.key}: check the id returned by hotel.booking.save or list the bookings.`, { id: err.key }, { cause: err });
    }
    if (err instanceof StaleRecordError) {
      const { status } = err.actual;
      throw new MeshError('CONFLICT', `Booking ${err.key} is ${String(status)}: only a ${String(err.expected.status)} booking can be cancelled.`, { status }, { cause: err });
    }
    return undefined;
  }
}
