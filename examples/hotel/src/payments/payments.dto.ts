import { Describe } from '@natsmesh/core';
import { IsNotEmpty, IsNumber, IsPositive, IsString } from 'class-validator';

/** Body of `hotel.payments.charge`. */
@Describe('What to charge, for which booking')
export class Charge {
  @Describe('Booking the charge pays for', { example: 'bk-02eb35' })
  @IsString() @IsNotEmpty() bookingId!: string;

  @Describe('Guest who pays', { example: 'Ann Smith' })
  @IsString() @IsNotEmpty() guest!: string;

  @Describe('Amount in the configured currency; above the limit the charge is declined', { example: 270 })
  @IsNumber() @IsPositive() amount!: number;
}

/** Body of `hotel.payments.refund`. */
@Describe('Names the charge to refund')
export class Refund {
  @Describe('Payment id returned by hotel.payments.charge', { example: 'pay-cd1b89' })
  @IsString() @IsNotEmpty() paymentId!: string;
}
