import { injectable } from 'tsyringe';

/** A room of the hotel and the booking that holds it, if any. */
export interface Room {
  readonly number: number;
  readonly type: 'single' | 'double' | 'suite';
  /** Price per night. */
  readonly rate: number;
  readonly currency: string;
  readonly heldBy?: string;
}

const SEED: readonly Room[] = [
  { number: 101, type: 'single', rate: 90, currency: 'EUR' },
  { number: 102, type: 'single', rate: 90, currency: 'EUR' },
  { number: 201, type: 'double', rate: 140, currency: 'EUR' },
  { number: 202, type: 'double', rate: 140, currency: 'EUR' },
  { number: 301, type: 'suite', rate: 450, currency: 'EUR' },
];

/** In-memory room inventory: stands in for the rooms service's database. */
@injectable()
export class RoomRepository {
  private readonly rooms = new Map<number, Room>(SEED.map((r) => [r.number, r]));

  find(number: number): Room | undefined {
    return this.rooms.get(number);
  }

  /** Marks the room as held by `bookingId`, or free with `undefined`. */
  hold(number: number, bookingId: string | undefined): Room {
    const { heldBy: _previous, ...free } = this.rooms.get(number)!;
    const room: Room = bookingId === undefined ? free : { ...free, heldBy: bookingId };
    this.rooms.set(number, room);
    return room;
  }

  all(): Room[] {
    return [...this.rooms.values()];
  }
}
