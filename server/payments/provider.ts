import type { Fen } from '../../core/money';
import type { OutRefundNo, OutTradeNo } from './ids';

/**
 * A payment provider as the sales ledger sees it: one method per operation,
 * every answer a value. Failures say how sure we are of the outcome:
 *
 * - `invalid`   — our input broke a rule; nothing was sent.
 * - `refused`   — the provider answered, verified, with a business error
 *                 (e.g. NOTENOUGH, ORDER_CLOSED): the operation did not happen.
 * - `not_found` — the provider, verified, does not know the order or refund.
 * - `unknown`   — the outcome is not known (network error, timeout, 5xx, 429,
 *                 a response whose signature does not verify): query, never
 *                 assume failure.
 *
 * No result carries a merchant secret (mchid, appid, keys).
 */
export interface PaymentProvider {
  /** Native下单: an order the customer pays by scanning `codeUrl`. */
  createNative(input: NativeOrderInput): Promise<CreateNativeResult>;
  /** 付款码支付: charges the customer's payment code; may answer `user_paying`. */
  payByCode(input: CodePayInput): Promise<PayByCodeResult>;
  /** The order as the provider knows it now. */
  query(outTradeNo: OutTradeNo): Promise<QueryResult>;
  /** Closes an unpaid order; closing a closed order is fine. */
  close(outTradeNo: OutTradeNo): Promise<DoneResult>;
  /** Reverses a payment-code order: closes it if unpaid, refunds it if paid. */
  reverse(outTradeNo: OutTradeNo): Promise<DoneResult>;
  /** 原路退款. Retrying with the same `outRefundNo` never refunds twice. */
  refund(input: RefundInput): Promise<RefundResult>;
  queryRefund(outRefundNo: OutRefundNo): Promise<RefundResult>;
  /** Verifies, decrypts and reads a notification; pure apart from the clock. */
  parseNotification(input: NotificationInput): NotificationResult;
}

export interface NativeOrderInput {
  readonly outTradeNo: OutTradeNo;
  /** Shown in the customer's WeChat bill; at most 127 characters. */
  readonly description: string;
  readonly amount: Fen;
  /** After this instant the customer can no longer pay. */
  readonly expiresAt: Date;
  /** The till's address as the server saw it. */
  readonly payerClientIp: string;
  readonly storeId: string;
  readonly deviceId?: string;
  /** Returned unchanged by query and notification; at most 128 characters. */
  readonly attach?: string;
}

export interface CodePayInput {
  readonly outTradeNo: OutTradeNo;
  readonly description: string;
  readonly amount: Fen;
  /** The 18-digit payment code scanned from the customer's phone. */
  readonly authCode: string;
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceIp?: string;
  readonly attach?: string;
}

export interface RefundInput {
  readonly outTradeNo: OutTradeNo;
  /** Made once per refund and reused on every retry of it. */
  readonly outRefundNo: OutRefundNo;
  readonly refund: Fen;
  /** The original payment's total. */
  readonly total: Fen;
  readonly reason?: string;
}

/** Where a payment stands, in our words for WeChat's trade_state. */
export type TradeState =
  | 'paid' // SUCCESS
  | 'refunded' // REFUND (转入退款)
  | 'unpaid' // NOTPAY
  | 'closed' // CLOSED
  | 'reversed' // REVOKED
  | 'user_paying' // USERPAYING
  | 'failed'; // PAYERROR

/** A voucher (代金券/优惠) the customer used on a payment, from promotion_detail. */
export interface PaymentVoucher {
  readonly couponId: string;
  readonly stockId?: string;
  readonly name?: string;
  /** GLOBAL / SINGLE as WeChat says it. */
  readonly scope?: string;
  /** CASH (充值型) / NOCASH (免充值型) as WeChat says it. */
  readonly type?: string;
  readonly amount: Fen;
  readonly wechatpayContribute: Fen;
  readonly merchantContribute: Fen;
  readonly otherContribute: Fen;
  readonly goods: readonly {
    readonly goodsId: string;
    readonly quantity: number;
    readonly unitPrice: Fen;
    readonly discountAmount: Fen;
  }[];
}

export interface Transaction {
  readonly outTradeNo: string;
  readonly transactionId?: string;
  readonly state: TradeState;
  readonly stateDescription?: string;
  readonly tradeType?: string;
  /** What the order was for (订单金额). */
  readonly total?: Fen;
  /** What the customer paid after vouchers (用户支付金额). */
  readonly payerTotal?: Fen;
  readonly successTime?: string;
  readonly bankType?: string;
  readonly attach?: string;
  readonly payerOpenid?: string;
  readonly vouchers: readonly PaymentVoucher[];
}

export type RefundState = 'success' | 'closed' | 'processing' | 'abnormal';

export interface Refund {
  readonly outRefundNo: string;
  readonly refundId: string;
  readonly outTradeNo?: string;
  readonly transactionId?: string;
  readonly state: RefundState;
  readonly refund: Fen;
  readonly total: Fen;
  readonly payerRefund?: Fen;
  readonly channel?: string;
  readonly userReceivedAccount?: string;
  readonly successTime?: string;
  readonly createTime?: string;
}

/** Codes of outcomes we could not learn; each means "query before deciding". */
export type UnknownCode =
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'SERVER_ERROR'
  | 'RATE_LIMITED'
  | 'UNVERIFIABLE_RESPONSE'
  | 'MALFORMED_RESPONSE';

export type Failure =
  | {
      readonly ok: false;
      readonly kind: 'invalid';
      readonly code: 'INVALID_INPUT';
      readonly message: string;
    }
  | {
      readonly ok: false;
      readonly kind: 'unknown';
      readonly code: UnknownCode;
      readonly message: string;
      readonly requestId?: string;
    }
  | {
      readonly ok: false;
      readonly kind: 'refused' | 'not_found';
      /** The provider's own code, e.g. NOTENOUGH, ORDER_CLOSED, ORDER_NOT_EXIST. */
      readonly code: string;
      readonly message: string;
      readonly status: number;
      readonly requestId?: string;
    };

export type CreateNativeResult = { readonly ok: true; readonly codeUrl: string } | Failure;

export type PayByCodeResult =
  | { readonly ok: true; readonly status: 'paid'; readonly transaction: Transaction }
  /** The customer is confirming on the phone: poll the order, then reverse. */
  | { readonly ok: true; readonly status: 'user_paying' }
  | Failure;

export type QueryResult = { readonly ok: true; readonly transaction: Transaction } | Failure;
export type DoneResult = { readonly ok: true } | Failure;
export type RefundResult = { readonly ok: true; readonly refund: Refund } | Failure;

/** A notification exactly as it arrived: the raw body bytes, not a re-serialised object. */
export interface NotificationInput {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly rawBody: Uint8Array | string;
}

export type NotificationRefusal =
  | 'SIGN_TEST_PROBE'
  | 'MISSING_HEADERS'
  | 'STALE_TIMESTAMP'
  | 'UNKNOWN_SERIAL'
  | 'BAD_SIGNATURE'
  | 'REPLAYED'
  | 'MALFORMED'
  | 'DECRYPT_FAILED'
  | 'UNSUPPORTED_EVENT';

export type NotificationResult =
  | {
      readonly ok: true;
      readonly event: 'TRANSACTION.SUCCESS';
      readonly id: string;
      readonly createTime: string;
      readonly transaction: Transaction;
    }
  | {
      readonly ok: true;
      readonly event: 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
      readonly id: string;
      readonly createTime: string;
      readonly refund: Refund;
    }
  | { readonly ok: false; readonly code: NotificationRefusal; readonly message: string };
