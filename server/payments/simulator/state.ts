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
/** hold: kept (signed) until released together (SimControl.releaseHeld), as a burst. */
export type NotifyMode = 'deliver' | 'drop' | 'duplicate' | 'hold';

/** A fault for the next `times` (default 1) API requests whose path starts with `path`. */
export interface Fault {
  readonly path: string;
  readonly times?: number | undefined;
  /**
   * drop_before: close the connection, do nothing; drop_after: do the work,
   * then close without answering; server_error: answer 500 SYSTEM_ERROR;
   * bad_signature: answer normally with a wrong signature; unsigned: no
   * signature headers; hang_after: do the work, then never answer (the
   * connection stays open until the caller gives up or the simulator closes).
   */
  readonly mode:
    'drop_before' | 'drop_after' | 'server_error' | 'bad_signature' | 'unsigned' | 'hang_after';
}

/** One API request as the simulator saw it (GET /sim/calls), to count what a client sent. */
export interface SimCall {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /** The answer's status, or how a fault ended it. */
  readonly outcome: number | 'dropped' | 'hung';
  readonly at: string;
}

export interface SimState {
  readonly orders: Map<string, SimOrder>;
  readonly refunds: Map<string, SimRefund>;
  codePay: CodePayBehaviour;
  refund: RefundBehaviour;
  notify: NotifyMode;
  /** Which key signs answers when the request does not name one in Wechatpay-Serial. */
  signWith: 'public-key' | 'platform-certificate';
  /** Faults still to apply, each with the number of requests it still spoils. */
  faults: { fault: Fault; left: number }[];
  readonly calls: SimCall[];
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
    calls: [],
    sequence: 0,
  };
}

/** The first fault for this path, if any, used up once it has spoiled its `times` requests. */
export function takeFault(state: SimState, path: string): Fault | undefined {
  const i = state.faults.findIndex((f) => path.startsWith(f.fault.path));
  const entry = state.faults[i];
  if (entry === undefined) return undefined;
  entry.left -= 1;
  if (entry.left <= 0) state.faults.splice(i, 1);
  return entry.fault;
}
