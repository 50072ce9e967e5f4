import { randomBytes } from 'node:crypto';
import { injectable } from 'tsyringe';

/** A booking as the booking service keeps and returns it. */
export interface Booking {
  readonly id: string;
  readonly guest: string;
  readonly email?: string;
  readonly room: number;
  readonly nights: number;
  readonly total: number;
  readonly currency: string;
  readonly status: 'pending' | 'confirmed' | 'cancelled';
  readonly paymentId?: string;
}

/** In-memory bookings: stands in for the booking service's database. */
@injectable()
export class BookingRepository {
  private readonly rows = new Map<string, Booking>();

  /** A fresh id; random so that bookings made by several app instances never collide. */
  nextId(): string {
    return `bk-${randomBytes(3).toString('hex')}`;
  }

  save(booking: Booking): Booking {
    this.rows.set(booking.id, booking);
    return booking;
  }

  find(id: string): Booking | undefined {
    return this.rows.get(id);
  }

  remove(id: string): void {
    this.rows.delete(id);
  }

  all(): Booking[] {
    return [...this.rows.values()];
  }
}
