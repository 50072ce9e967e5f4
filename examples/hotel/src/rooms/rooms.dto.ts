import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';

/** Body of `hotel.rooms.reserve` and `hotel.rooms.release`. */
export class RoomHold {
  @IsInt() @Min(1) room!: number;
  @IsString() @IsNotEmpty() bookingId!: string;
}
