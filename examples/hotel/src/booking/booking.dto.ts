import { IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

/** Body of `hotel.booking.save`. */
export class SaveBooking {
  @IsString() @IsNotEmpty() guest!: string;
  @IsInt() @Min(1) room!: number;
  @IsInt() @Min(1) @Max(30) nights!: number;
  @IsOptional() @IsEmail() email?: string;
}

/** Body of `hotel.booking.get` and `hotel.booking.cancel`. */
export class BookingRef {
  @IsString() @IsNotEmpty() id!: string;
}
