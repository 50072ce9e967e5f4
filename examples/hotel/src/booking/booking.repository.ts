import { randomBytes } from 'node:crypto';
import { injectable } from 'tsyringe';
import { RecordNotFoundError, StaleRecordError } from './store-errors';

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

/**
 * In-memory bookings: stands in for the booking service's database, and throws as a database
 * library would ({@link RecordNotFoundError}, {@link StaleRecordError}).
 */
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

  /** @throws RecordNotFoundError for an unknown id. */
  get(id: string): Booking {
    const row = this.rows.get(id);
    if (row === undefined) throw new RecordNotFoundError('booking', id);
    return row;
  }

  /**
   * Changes a booking only while it is in the state `where` names, in one step, so two
   * requests racing to change it cannot both succeed.
   *
   * @throws RecordNotFoundError for an unknown id, StaleRecordError when the booking is in another state.
   */
  update(id: string, where: Pick<Booking, 'status'>, patch: Partial<Omit<Booking, 'id'>>): Booking {
    const row = this.get(id);
    if (row.status !== where.status) throw new StaleRecordError('booking', id, where, { status: row.status });
    return this.save({ ...row, ...patch });
  }

  remove(id: string): void {
    this.rows.delete(id);
  }

  all(): Booking[] {
    return [...this.rows.values()];
  }
}
