import { IsNotEmpty, IsNumber, IsPositive, IsString } from 'class-validator';

/** Body of `hotel.payments.charge`. */
export class Charge {
  @IsString() @IsNotEmpty() bookingId!: string;
  @IsString() @IsNotEmpty() guest!: string;
  @IsNumber() @IsPositive() amount!: number;
}

/** Body of `hotel.payments.refund`. */
export class Refund {
  @IsString() @IsNotEmpty() paymentId!: string;
}
