import { Emits, Handle, Inject, MeshError, Service, type Context } from '@natsmesh/core';
import { PAYMENT_CONFIG, type PaymentConfig } from './payment-config';
import { PaymentRepository, type Payment } from './payment.repository';
import { Charge, Refund } from './payments.dto';

/** Reply of `hotel.payments.refund`. */
export interface Refunded {
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
}

/** Charges guests and refunds them; declines charges above the configured limit. */
@Emits('app.payments.save', { description: 'A charge went through' })
@Emits('app.payments.delete', { description: 'A charge was refunded' })
@Emits('app.payments.error', { description: 'A charge was declined' })
@Service('hotel.payments', { version: '1.0.0', description: 'Charges and refunds', allow: ['hotel.booking'] })
export class PaymentsService {
  constructor(
    @Inject(PAYMENT_CONFIG) private readonly config: PaymentConfig,
    private readonly payments: PaymentRepository,
  ) {}

  /** @throws MeshError `PAYMENT_DECLINED` (status 402) above the configured limit. */
  @Handle('charge', { description: 'Charges a guest for a booking' })
  charge(input: Charge, ctx: Context): Payment {
    const { currency, maxCharge } = this.config;
    if (input.amount > maxCharge) {
      const message = `charge of ${input.amount} ${currency} for ${input.bookingId} declined: above the ${maxCharge} ${currency} limit`;
      ctx.emit('app.payments.error', { bookingId: input.bookingId, guest: input.guest, amount: input.amount, message });
      throw new MeshError(
        'PAYMENT_DECLINED',
        `The charge of ${input.amount} ${currency} was declined: it is above the ${maxCharge} ${currency} limit per booking. Book fewer nights or a cheaper room.`,
        { amount: input.amount, limit: maxCharge, currency },
        { status: 402 },
      );
    }
    const payment = this.payments.add({ bookingId: input.bookingId, amount: input.amount, currency });
    ctx.emit('app.payments.save', { paymentId: payment.id, bookingId: payment.bookingId, amount: payment.amount });
    return payment;
  }

  /** @throws MeshError `NOT_FOUND` for an unknown payment, `CONFLICT` when already refunded. */
  @Handle('refund', { description: 'Refunds a charge in full' })
  refund(input: Refund, ctx: Context): Refunded {
    const payment = this.payments.find(input.paymentId);
    if (!payment) throw new MeshError('NOT_FOUND', `No payment ${input.paymentId}: refund the id returned by hotel.payments.charge.`, { paymentId: input.paymentId });
    if (payment.refunded) throw new MeshError('CONFLICT', `Payment ${payment.id} is already refunded.`, { paymentId: payment.id });
    this.payments.markRefunded(payment.id);
    ctx.emit('app.payments.delete', { paymentId: payment.id, bookingId: payment.bookingId, amount: payment.amount });
    return { paymentId: payment.id, amount: payment.amount, currency: payment.currency };
  }
}
