import { HttpError } from '../http/errors';
import type { PaymentProvider } from './provider';

/** ServerOptions.payments: the provider the server uses for WeChat Pay. */
export interface PaymentsOptions {
  /**
   * The provider, or how to make it once the server's own URL is known (tests point the
   * simulator's notify_url at the server they just started).
   */
  readonly provider: PaymentProvider | ((serverUrl: string) => PaymentProvider);
}

/** The provider of a running server; null until it listens, and for good with no configuration. */
export interface Payments {
  provider: PaymentProvider | null;
  /** Payments and refunds above this many fen need a manager's approval (auth/approval.ts). */
  readonly approvalLimitFen: number;
}

/** The provider, or 503 UNAVAILABLE saying the server has no WeChat Pay configuration. */
export function providerOr503(payments: Payments): PaymentProvider {
  if (payments.provider === null)
    throw new HttpError(
      503,
      'UNAVAILABLE',
      'WeChat Pay is not configured on this server; take another tender, and ask the administrator to set the WECHATPAY_* settings (server/payments/README.md).',
    );
  return payments.provider;
}
