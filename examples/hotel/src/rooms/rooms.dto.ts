import { Describe } from '@natsmesh/core';
import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';

/** Body of `hotel.rooms.reserve` and `hotel.rooms.release`. */
@Describe('A room and the booking that holds it')
export class RoomHold {
  @Describe('Room number', { example: 101 })
  @IsInt() @Min(1) room!: number;

  @Describe('Booking that holds (or held) the room', { example: 'bk-02eb35' })
  @IsString() @IsNotEmpty() bookingId!: string;
}
