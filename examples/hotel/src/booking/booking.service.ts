import { Handle, MeshError, Service, Use, type Context } from '@natsmesh/core';
import type { Payment } from '../payments/payment.repository';
import type { Refunded } from '../payments/payments.service';
import type { ReservedRoom } from '../rooms/rooms.service';
import { StaffOnly } from '../staff/staff-only.guard';
import { BookingStoreErrors } from './booking-store-errors.interceptor';
import { BookingRef, SaveBooking } from './booking.dto';
import { BookingRepository, type Booking } from './booking.repository';

/**
 * Books rooms: reserves the room, charges the guest, keeps the booking; cancels with a refund.
 * Its handlers throw the booking store's errors as they come; the {@link BookingStoreErrors}
 * interceptor turns them into `NOT_FOUND` and `CONFLICT`.
 */
@Service('hotel.booking', {
  version: '1.0.0',
  description: 'Room bookings: reserves the room, charges the guest, keeps the booking',
  calls: ['hotel.rooms.reserve', 'hotel.rooms.release', 'hotel.payments.charge', 'hotel.payments.refund'],
  emits: ['app.booking.save', 'app.booking.delete', 'app.booking.warn'],
})
@Use(BookingStoreErrors)
export class BookingService {
  constructor(private readonly bookings: BookingRepository) {}

  /**
   * @throws MeshError `VALIDATION_FAILED` for a bad body, `NOT_FOUND`/`CONFLICT` from the rooms
   * service, `PAYMENT_DECLINED` from the payments service (the room is released again).
   */
  @Handle('save', {
    description: 'Books a room for a guest and charges the stay',
    // 99.9 % of bookings must not fail on our side (a declined card is the guest's), 99 % answer within 250 ms.
    slo: { errorRate: 0.001, p99: 250, clientCodes: ['PAYMENT_DECLINED'] },
  })
  async save(input: SaveBooking, ctx: Context): Promise<Booking> {
    const id = this.bookings.nextId();
    const room = await ctx.request<ReservedRoom>('hotel.rooms.reserve', { room: input.room, bookingId: id });
    const pending = this.bookings.save({
      id,
      guest: input.guest,
      email: input.email,
      room: input.room,
      nights: input.nights,
      total: room.rate * input.nights,
      currency: room.currency,
      status: 'pending',
    });

    let payment: Payment;
    try {
      payment = await ctx.request<Payment>('hotel.payments.charge', { bookingId: id, guest: input.guest, amount: pending.total });
    } catch (err) {
      this.bookings.remove(id);
      await ctx.request('hotel.rooms.release', { room: input.room, bookingId: id }).catch((releaseErr: unknown) => {
        ctx.log.error({ err: releaseErr as Error, bookingId: id, room: input.room }, 'could not release the room of a failed booking');
      });
      const reason = MeshError.is(err) ? err.code : 'INTERNAL';
      ctx.emit('app.booking.warn', { bookingId: id, guest: input.guest, room: input.room, reason, message: `booking ${id} for ${input.guest} dropped: ${reason}` });
      throw err;
    }

    const booking = this.bookings.save({ ...pending, status: 'confirmed', paymentId: payment.id });
    ctx.emit('app.booking.save', { bookingId: id, guest: booking.guest, room: booking.room, nights: booking.nights, total: booking.total });
    return booking;
  }

  /** @throws MeshError `NOT_FOUND` for an unknown id. */
  @Handle('get', { description: 'One booking by id' })
  get(input: BookingRef): Booking {
    return this.bookings.get(input.id);
  }

  /**
   * Staff only (the {@link StaffOnly} guard): a request without a staff badge in `X-Hotel-Staff`
   * is answered `FORBIDDEN` and nothing is refunded.
   *
   * @throws MeshError `FORBIDDEN` without a staff badge, `NOT_FOUND` for an unknown id, `CONFLICT` when not confirmed.
   */
  @Handle('cancel', { description: 'Cancels a booking: refunds the payment and frees the room (staff only: X-Hotel-Staff header)' })
  @Use(StaffOnly)
  async cancel(input: BookingRef, ctx: Context): Promise<Booking> {
    // Marked cancelled before the refund, so two cancellations racing cannot refund twice.
    const cancelled = this.bookings.update(input.id, { status: 'confirmed' }, { status: 'cancelled' });
    let refund: Refunded;
    try {
      refund = await ctx.request<Refunded>('hotel.payments.refund', { paymentId: cancelled.paymentId });
    } catch (err) {
      this.bookings.save({ ...cancelled, status: 'confirmed' });
      throw err;
    }
    await ctx.request('hotel.rooms.release', { room: cancelled.room, bookingId: cancelled.id });
    ctx.emit('app.booking.delete', { bookingId: cancelled.id, guest: cancelled.guest, room: cancelled.room, refunded: refund.amount });
    return cancelled;
  }

  @Handle('list', { description: 'Every booking, cancelled ones included' })
  list(): Booking[] {
    return this.bookings.all();
  }
}
