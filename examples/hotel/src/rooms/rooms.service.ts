import { Handle, MeshError, Service, type Context } from '@natsmesh/core';
import { RoomHold } from './rooms.dto';
import { RoomRepository, type Room } from './room.repository';

/** Reply of `hotel.rooms.reserve`. */
export interface ReservedRoom {
  readonly room: number;
  readonly type: Room['type'];
  readonly rate: number;
  readonly currency: string;
}

/** The room inventory: which rooms exist, what they cost, which booking holds each. */
@Service('hotel.rooms', {
  version: '1.0.0',
  description: 'Room inventory: lists rooms, holds one for a booking, frees it again',
  emits: ['app.rooms.info', 'app.rooms.warn'],
})
export class RoomsService {
  constructor(private readonly rooms: RoomRepository) {}

  @Handle('list', { description: 'Every room with its rate and whether it is free' })
  list(): (Room & { available: boolean })[] {
    return this.rooms.all().map((r) => ({ ...r, available: r.heldBy === undefined }));
  }

  /** @throws MeshError `NOT_FOUND` for a room the hotel does not have, `CONFLICT` when another booking holds it. */
  @Handle('reserve', { description: 'Holds a free room for a booking', slo: { errorRate: 0.0005, p99: 50 }, allow: ['hotel.booking'] })
  reserve(input: RoomHold, ctx: Context): ReservedRoom {
    const room = this.mustFind(input.room);
    if (room.heldBy !== undefined && room.heldBy !== input.bookingId) {
      ctx.emit('app.rooms.warn', { room: room.number, bookingId: input.bookingId, heldBy: room.heldBy, message: `room ${room.number} asked for by ${input.bookingId} is held by ${room.heldBy}` });
      throw new MeshError('CONFLICT', `Room ${room.number} is already booked: pick another room (hotel.rooms.list shows the free ones).`, { room: room.number });
    }
    this.rooms.hold(room.number, input.bookingId);
    ctx.emit('app.rooms.info', { room: room.number, bookingId: input.bookingId, message: `room ${room.number} held for ${input.bookingId}` });
    return { room: room.number, type: room.type, rate: room.rate, currency: room.currency };
  }

  /** @throws MeshError `NOT_FOUND` for an unknown room, `CONFLICT` when another booking holds it. */
  @Handle('release', { description: 'Frees the room a booking holds; freeing a free room does nothing', allow: ['hotel.booking'] })
  release(input: RoomHold, ctx: Context): Room {
    const room = this.mustFind(input.room);
    if (room.heldBy === undefined) return room;
    if (room.heldBy !== input.bookingId) {
      throw new MeshError('CONFLICT', `Room ${room.number} is held by ${room.heldBy}, not ${input.bookingId}: release it with the booking that holds it.`, { room: room.number });
    }
    const freed = this.rooms.hold(room.number, undefined);
    ctx.emit('app.rooms.info', { room: room.number, bookingId: input.bookingId, message: `room ${room.number} freed by ${input.bookingId}` });
    return freed;
  }

  private mustFind(number: number): Room {
    const room = this.rooms.find(number);
    if (!room) throw new MeshError('NOT_FOUND', `The hotel has no room ${number}: hotel.rooms.list shows the rooms.`, { room: number });
    return room;
  }
}
