import type { WirePromotionDetail, WireRefundStatus, WireTradeState } from '../wechat/wire';

/**
 * The simulator's memory: orders, refunds, and the switches the "customer"
 * control sets. One process, one merchant; nothing here is persisted.
 */
export interface SimOrder {
  readonly outTradeNo: string;
  readonly tradeType: 'NATIVE' | 'MICROPAY';
  readonly appid: string;
  readonly mchid: string;
  readonly description: string;
  readonly total: number;
  readonly attach?: string;
  readonly notifyUrl?: string;
  readonly timeExpireMs?: number;
  readonly deviceId?: string;
  readonly codeUrl?: string;
  /** The request body as received, to tell a retry from a different order with the same number. */
  readonly fingerprint: string;
  state: WireTradeState;
  stateDesc: string;
  transactionId?: string;
  successTime?: string;
  payerOpenid?: string;
  payerTotal?: number;
  promotions: WirePromotionDetail[];
  /** Order queries seen while USERPAYING, for "confirm after N polls". */
  polls: number;
  pending?: CodePayPending;
}

/** What a USERPAYING order turns into, and when. */
export interface CodePayPending {
  /** Becomes `then` on this query (1 = the first query after the payment). */
  readonly confirmAfterPolls?: number;
  readonly then: 'success' | 'notenough' | 'never';
  readonly vouchers: readonly VoucherSpec[];
}

export interface SimRefund {
  readonly outRefundNo: string;
  readonly refundId: string;
  readonly outTradeNo: string;
  readonly transactionId: string;
  readonly refund: number;
  readonly total: number;
  readonly payerRefund: number;
  readonly payerTotal: number;
  readonly createTime: string;
  readonly notifyUrl?: string;
  readonly fingerprint: string;
  status: WireRefundStatus;
  successTime?: string;
}

/** A voucher the simulated customer uses (becomes one promotion_detail entry). */
export interface VoucherSpec {
  readonly amount: number;
  readonly coupon_id?: string | undefined;
  readonly stock_id?: string | undefined;
  readonly name?: string | undefined;
  readonly scope?: string | undefined;
  readonly type?: string | undefined;
  readonly wechatpay_contribute?: number | undefined;
  readonly merchant_contribute?: number | undefined;
  readonly other_contribute?: number | undefined;
}

/** How the next payment codes behave (POST /sim/codepay/behaviour). */
export interface CodePayBehaviour {
  /** success: paid at once; userpaying: 202 then `then`; notenough: refused at once. */
  readonly result: 'success' | 'userpaying' | 'notenough';
  readonly confirmAfterPolls?: number | undefined;
  readonly then?: 'success' | 'notenough' | 'never' | undefined;
  readonly vouchers?: readonly VoucherSpec[] | undefined;
}

export interface RefundBehaviour {
  readonly result: 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  /** How long a refund stays PROCESSING. */
  readonly afterMs: number;
}

/** deliver: once (retried until acknowledged); drop: never sent; duplicate: sent twice. */
export type NotifyMode = 'deliver' | 'drop' | 'duplicate';

/** A one-shot fault for the next API request whose path starts with `path`. */
export interface Fault {
  readonly path: string;
  /**
   * drop_before: close the connection, do nothing; drop_after: do the work,
   * then close without answering; server_error: answer 500 SYSTEM_ERROR;
   * bad_signature: answer normally with a wrong signature; unsigned: no
   * signature headers.
   */
  readonly mode: 'drop_before' | 'drop_after' | 'server_error' | 'bad_signature' | 'unsigned';
}

export interface SimState {
  readonly orders: Map<string, SimOrder>;
  readonly refunds: Map<string, SimRefund>;
  codePay: CodePayBehaviour;
  refund: RefundBehaviour;
  notify: NotifyMode;
  /** Which key signs answers when the request does not name one in Wechatpay-Serial. */
  signWith: 'public-key' | 'platform-certificate';
  faults: Fault[];
  sequence: number;
}

export function createSimState(signWith: SimState['signWith']): SimState {
  return {
    orders: new Map(),
    refunds: new Map(),
    codePay: { result: 'success' },
    refund: { result: 'SUCCESS', afterMs: 0 },
    notify: 'deliver',
    signWith,
    faults: [],
    sequence: 0,
  };
}

/** Removes and returns the first fault for this path, if any. */
export function takeFault(state: SimState, path: string): Fault | undefined {
  const i = state.faults.findIndex((f) => path.startsWith(f.path));
  if (i < 0) return undefined;
  const [fault] = state.faults.splice(i, 1);
  return fault;
}
