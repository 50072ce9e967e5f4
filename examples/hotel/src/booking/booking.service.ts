import { Handle, MeshError, Service, type Context } from '@natsmesh/core';
import type { Payment } from '../payments/payment.repository';
import type { Refunded } from '../payments/payments.service';
import type { ReservedRoom } from '../rooms/rooms.service';
import { BookingRef, SaveBooking } from './booking.dto';
import { BookingRepository, type Booking } from './booking.repository';

/** Books rooms: reserves the room, charges the guest, keeps the booking; cancels with a refund. */
@Service('hotel.booking', {
  version: '1.0.0',
  description: 'Room bookings: reserves the room, charges the guest, keeps the booking',
  calls: ['hotel.rooms.reserve', 'hotel.rooms.release', 'hotel.payments.charge', 'hotel.payments.refund'],
  emits: ['app.booking.save', 'app.booking.delete', 'app.booking.warn'],
})
export class BookingService {
  constructor(private readonly bookings: BookingRepository) {}

  /**
   * @throws MeshError `VALIDATION_FAILED` for a bad body, `NOT_FOUND`/`CONFLICT` from the rooms
   * service, `PAYMENT_DECLINED` from the payments service (the room is released again).
   */
  @Handle('save', { description: 'Books a room for a guest and charges the stay' })
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
    return this.mustFind(input.id);
  }

  /** @throws MeshError `NOT_FOUND` for an unknown id, `CONFLICT` when already cancelled. */
  @Handle('cancel', { description: 'Cancels a booking: refunds the payment and frees the room' })
  async cancel(input: BookingRef, ctx: Context): Promise<Booking> {
    const booking = this.mustFind(input.id);
    if (booking.status !== 'confirmed') {
      throw new MeshError('CONFLICT', `Booking ${booking.id} is ${booking.status}: only a confirmed booking can be cancelled.`, { status: booking.status });
    }
    const refund = await ctx.request<Refunded>('hotel.payments.refund', { paymentId: booking.paymentId });
    await ctx.request('hotel.rooms.release', { room: booking.room, bookingId: booking.id });
    const cancelled = this.bookings.save({ ...booking, status: 'cancelled' });
    ctx.emit('app.booking.delete', { bookingId: booking.id, guest: booking.guest, room: booking.room, refunded: refund.amount });
    return cancelled;
  }

  @Handle('list', { description: 'Every booking, cancelled ones included' })
  list(): Booking[] {
    return this.bookings.all();
  }

  private mustFind(id: string): Booking {
    const booking = this.bookings.find(id);
    if (!booking) throw new MeshError('NOT_FOUND', `No booking ${id}: check the id returned by hotel.booking.save or list the bookings.`, { id });
    return booking;
  }
}
