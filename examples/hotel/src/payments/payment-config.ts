/** How the payments service charges. */
export interface PaymentConfig {
  readonly currency: string;
  /** Charges above this amount are declined. */
  readonly maxCharge: number;
}

/**
 * Injection token of the {@link PaymentConfig}: an interface has no runtime type, so the
 * payments service asks for it with `@Inject(PAYMENT_CONFIG)`.
 */
export const PAYMENT_CONFIG = Symbol('PAYMENT_CONFIG');

/** The configuration the hotel app uses unless told otherwise. */
export const DEFAULT_PAYMENT_CONFIG: PaymentConfig = { currency: 'EUR', maxCharge: 2000 };
