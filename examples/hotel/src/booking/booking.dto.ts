import { Describe } from '@natsmesh/core';
import { IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

/** Body of `hotel.booking.save`. */
@Describe('A booking request from the front desk')
export class SaveBooking {
  @Describe('Full name of the guest', { example: 'Ann Smith' })
  @IsString() @IsNotEmpty() guest!: string;

  @Describe('Room number, as hotel.rooms.list shows it', { example: 101 })
  @IsInt() @Min(1) room!: number;

  @Describe('Nights to stay', { example: 3 })
  @IsInt() @Min(1) @Max(30) nights!: number;

  @Describe('Where the confirmation goes', { example: 'ann@example.com' })
  @IsOptional() @IsEmail() email?: string;
}

/** Body of `hotel.booking.get` and `hotel.booking.cancel`. */
@Describe('Names one booking')
export class BookingRef {
  @Describe('Booking id returned by hotel.booking.save', { example: 'bk-02eb35' })
  @IsString() @IsNotEmpty() id!: string;
}
