import { randomBytes } from 'node:crypto';
import { injectable } from 'tsyringe';

/** A charge that went through. */
export interface Payment {
  readonly id: string;
  readonly bookingId: string;
  readonly amount: number;
  readonly currency: string;
  readonly refunded: boolean;
}

/** In-memory payment ledger: stands in for the payment provider's records. */
@injectable()
export class PaymentRepository {
  private readonly rows = new Map<string, Payment>();

  add(payment: Omit<Payment, 'id' | 'refunded'>): Payment {
    const row = { ...payment, id: `pay-${randomBytes(3).toString('hex')}`, refunded: false };
    this.rows.set(row.id, row);
    return row;
  }

  find(id: string): Payment | undefined {
    return this.rows.get(id);
  }

  markRefunded(id: string): Payment {
    const row = { ...this.rows.get(id)!, refunded: true };
    this.rows.set(id, row);
    return row;
  }
}
