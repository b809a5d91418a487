import { z } from 'zod';
import type { SimContext } from './context';
import type { NotificationRecord } from './notifier';
import { finishCodePay } from './pay-handlers';
import type { SimCall, SimOrder, SimState } from './state';
import type { WaitingOrder } from './customer-page';
import { markPaid, refundView, transactionView } from './views';

/**
 * The "customer" and operator side of the simulator, used by the /sim/…
 * HTTP routes and directly by tests: pay a Native order (by out_trade_no or
 * by scanning its code_url), decide how payment codes behave, settle refunds,
 * drop or duplicate notifications, spoil the next answer, and look at state.
 */
export const VoucherSpecSchema = z
  .object({
    amount: z.number().int().min(1),
    coupon_id: z.string().min(1).optional(),
    stock_id: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    scope: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    wechatpay_contribute: z.number().int().min(0).optional(),
    merchant_contribute: z.number().int().min(0).optional(),
    other_contribute: z.number().int().min(0).optional(),
  })
  .strict();

export const PaySchema = z
  .object({ openid: z.string().min(1).optional(), vouchers: z.array(VoucherSpecSchema).optional() })
  .strict();
export type PayRequest = z.infer<typeof PaySchema>;

export const CodePayBehaviourSchema = z
  .object({
    result: z.enum(['success', 'userpaying', 'notenough']),
    confirmAfterPolls: z.number().int().min(1).optional(),
    then: z.enum(['success', 'notenough', 'never']).optional(),
    vouchers: z.array(VoucherSpecSchema).optional(),
  })
  .strict();

export const RefundBehaviourSchema = z
  .object({
    result: z.enum(['SUCCESS', 'ABNORMAL', 'CLOSED']),
    afterMs: z.number().int().min(0).max(86_400_000).default(0),
  })
  .strict();

export const NotifyModeSchema = z
  .object({ mode: z.enum(['deliver', 'drop', 'duplicate', 'hold']) })
  .strict();
export const SignWithSchema = z
  .object({ signWith: z.enum(['public-key', 'platform-certificate']) })
  .strict();
export const FaultSchema = z
  .object({
    path: z.string().startsWith('/v3/'),
    mode: z.enum([
      'drop_before',
      'drop_after',
      'server_error',
      'bad_signature',
      'unsigned',
      'hang_after',
    ]),
    times: z.number().int().min(1).max(1_000).optional(),
  })
  .strict();

export type ControlResult =
  | { readonly ok: true; readonly body: unknown }
  | {
      readonly ok: false;
      readonly status: number;
      readonly code: string;
      readonly message: string;
    };

const notFound = (what: string): ControlResult => ({
  ok: false,
  status: 404,
  code: 'NOT_FOUND',
  message: `${what} is not known to the simulator`,
});

export interface SimControl {
  /** The customer scans the order's code_url and pays (with vouchers if given). */
  payNative(outTradeNo: string, pay?: PayRequest): ControlResult;
  scan(codeUrl: string, pay?: PayRequest): ControlResult;
  setCodePayBehaviour(b: z.input<typeof CodePayBehaviourSchema>): void;
  /** The customer on a USERPAYING order enters the password (or runs out of money). */
  confirmCodePay(outTradeNo: string, result: 'success' | 'notenough'): ControlResult;
  setRefundBehaviour(b: z.input<typeof RefundBehaviourSchema>): void;
  setNotifyMode(mode: SimState['notify']): void;
  setSignWith(signWith: SimState['signWith']): void;
  addFault(fault: z.input<typeof FaultSchema>): void;
  notifications(): readonly NotificationRecord[];
  /** Delivers the notifications held in 'hold' mode, `atOnce` at a time; how many there were. */
  releaseNotifications(atOnce: number): Promise<number>;
  /** Every API request so far, oldest first (to count what a client sent). */
  calls(): readonly SimCall[];
  probe(url: string): Promise<number | string>;
  order(outTradeNo: string): Record<string, unknown> | undefined;
  refunds(): Record<string, unknown>[];
  /** Native orders the customer can still pay, newest first (the /sim/customer page). */
  waitingNative(): WaitingOrder[];
}

export function createControl(ctx: SimContext): SimControl {
  const { state } = ctx;

  function pay(o: SimOrder | undefined, req: PayRequest = {}): ControlResult {
    if (o === undefined) return notFound('the order');
    if (o.tradeType !== 'NATIVE')
      return {
        ok: false,
        status: 409,
        code: 'NOT_NATIVE',
        message: 'only Native orders are paid by scanning',
      };
    if (o.state !== 'NOTPAY')
      return { ok: false, status: 409, code: 'NOT_PAYABLE', message: `the order is ${o.state}` };
    if (o.timeExpireMs !== undefined && ctx.clock().getTime() > o.timeExpireMs)
      return {
        ok: false,
        status: 409,
        code: 'EXPIRED',
        message: 'the order passed its time_expire',
      };
    const off = (req.vouchers ?? []).reduce((s, v) => s + v.amount, 0);
    if (off > o.total)
      return {
        ok: false,
        status: 400,
        code: 'VOUCHERS_TOO_LARGE',
        message: 'vouchers exceed the order total',
      };
    markPaid(ctx, o, req.vouchers ?? [], req.openid);
    if (o.notifyUrl !== undefined)
      ctx.notifier.send(
        o.notifyUrl,
        'TRANSACTION.SUCCESS',
        '支付成功',
        'transaction',
        transactionView(o),
      );
    return { ok: true, body: transactionView(o) };
  }

  return {
    payNative: (no, req) => pay(state.orders.get(no), req),
    scan: (codeUrl, req) =>
      pay(
        [...state.orders.values()].find((o) => o.codeUrl === codeUrl),
        req,
      ),
    setCodePayBehaviour: (b) => {
      state.codePay = CodePayBehaviourSchema.parse(b);
    },
    confirmCodePay(no, result) {
      const o = state.orders.get(no);
      if (o === undefined) return notFound('the order');
      if (o.state !== 'USERPAYING')
        return {
          ok: false,
          status: 409,
          code: 'NOT_USERPAYING',
          message: `the order is ${o.state}`,
        };
      finishCodePay(ctx, o, result);
      return { ok: true, body: transactionView(o) };
    },
    setRefundBehaviour: (b) => {
      state.refund = RefundBehaviourSchema.parse(b);
    },
    setNotifyMode: (mode) => {
      state.notify = mode;
    },
    setSignWith: (signWith) => {
      state.signWith = signWith;
    },
    addFault: (f) => {
      const fault = FaultSchema.parse(f);
      state.faults.push({ fault, left: fault.times ?? 1 });
    },
    calls: () => [...state.calls],
    notifications: () => ctx.notifier.records(),
    releaseNotifications: (atOnce) => ctx.notifier.releaseHeld(atOnce),
    probe: (url) => ctx.notifier.probe(url),
    order: (no) => {
      const o = state.orders.get(no);
      return o === undefined ? undefined : transactionView(o);
    },
    refunds: () => [...state.refunds.values()].map(refundView),
    waitingNative: () =>
      [...state.orders.values()]
        .filter(
          (o) =>
            o.tradeType === 'NATIVE' &&
            o.state === 'NOTPAY' &&
            (o.timeExpireMs === undefined || o.timeExpireMs > ctx.clock().getTime()),
        )
        .reverse()
        .map((o) => ({ outTradeNo: o.outTradeNo, description: o.description, total: o.total })),
  };
}
