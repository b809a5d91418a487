import { HttpError } from '../http/errors';
import type { CodePaymentTiming } from './code-payment';
import type { PaymentProvider } from './provider';
import type { PaymentFollower, ReconcileOptions } from './reconcile';

/** ServerOptions.payments: the provider the server uses for WeChat Pay. */
export interface PaymentsOptions {
  /**
   * The provider, or how to make it once the server's own URL is known (tests point the
   * simulator's notify_url at the server they just started).
   */
  readonly provider: PaymentProvider | ((serverUrl: string) => PaymentProvider);
  /** Payment-code polling and reversing (default: every 4 s, 45 s, reverse every 5 s). */
  readonly codeTiming?: Partial<CodePaymentTiming>;
  /** The reconciliation job (default: every 30 s); tests use short ones. */
  readonly reconcile?: Partial<ReconcileOptions>;
}

/** The provider of a running server; null until it listens, and for good with no configuration. */
export interface Payments {
  provider: PaymentProvider | null;
  /** Follows unsettled payments (reconcile.ts); null without a provider. */
  follower: PaymentFollower | null;
  timing: CodePaymentTiming;
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

/** The provider and the follower of a running server, or 503 as providerOr503. */
export function codePaymentsOr503(payments: Payments): {
  provider: PaymentProvider;
  follower: PaymentFollower;
  timing: CodePaymentTiming;
} {
  const provider = providerOr503(payments);
  if (payments.follower === null) throw new Error('payments have a provider but no follower');
  return { provider, follower: payments.follower, timing: payments.timing };
}
