import { rfc3339China } from '../wechat/rfc3339';
import type { WirePromotionDetail } from '../wechat/wire';
import type { SimContext } from './context';
import { nextId } from './context';
import type { SimOrder, SimRefund, VoucherSpec } from './state';

/** An answer of a simulator handler, before signing. */
export interface SimAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export const fail = (status: number, code: string, message: string): SimAnswer => ({
  status,
  body: { code, message },
});

/** An order as 商户订单号查询订单 shows it (and as TRANSACTION.SUCCESS carries it). */
export function transactionView(o: SimOrder): Record<string, unknown> {
  const paidLike = o.transactionId !== undefined;
  return {
    appid: o.appid,
    mchid: o.mchid,
    out_trade_no: o.outTradeNo,
    ...(paidLike && { transaction_id: o.transactionId }),
    trade_type: o.tradeType,
    trade_state: o.state,
    trade_state_desc: o.stateDesc,
    ...(paidLike && { bank_type: 'OTHERS' }),
    ...(o.attach !== undefined && { attach: o.attach }),
    ...(o.successTime !== undefined && { success_time: o.successTime }),
    ...(o.payerOpenid !== undefined && { payer: { openid: o.payerOpenid } }),
    amount: {
      total: o.total,
      ...(o.payerTotal !== undefined && { payer_total: o.payerTotal }),
      currency: 'CNY',
      payer_currency: 'CNY',
    },
    ...(o.deviceId !== undefined && { scene_info: { device_id: o.deviceId } }),
    ...(o.promotions.length > 0 && { promotion_detail: o.promotions }),
  };
}

export function refundView(r: SimRefund): Record<string, unknown> {
  return {
    refund_id: r.refundId,
    out_refund_no: r.outRefundNo,
    transaction_id: r.transactionId,
    out_trade_no: r.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(r.successTime !== undefined && { success_time: r.successTime }),
    create_time: r.createTime,
    status: r.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: r.total,
      refund: r.refund,
      from: [],
      payer_total: r.payerTotal,
      payer_refund: r.payerRefund,
      settlement_refund: r.refund,
      settlement_total: r.total,
      discount_refund: r.refund - r.payerRefund,
      currency: 'CNY',
    },
  };
}

/** The decrypted resource of a REFUND.* notification. */
export function refundNoticeView(r: SimRefund, mchid: string): Record<string, unknown> {
  return {
    mchid,
    out_trade_no: r.outTradeNo,
    transaction_id: r.transactionId,
    out_refund_no: r.outRefundNo,
    refund_id: r.refundId,
    refund_status: r.status,
    ...(r.successTime !== undefined && { success_time: r.successTime }),
    user_received_account: '支付用户零钱',
    amount: {
      total: r.total,
      refund: r.refund,
      payer_total: r.payerTotal,
      payer_refund: r.payerRefund,
    },
  };
}

/** The customer's vouchers as promotion_detail, each funded by the merchant unless told otherwise. */
export function promotionsFor(
  ctx: SimContext,
  vouchers: readonly VoucherSpec[],
): WirePromotionDetail[] {
  return vouchers.map((v) => {
    const wechat = v.wechatpay_contribute ?? 0;
    const other = v.other_contribute ?? 0;
    return {
      coupon_id: v.coupon_id ?? nextId(ctx, '', 10),
      name: v.name ?? '代金券',
      scope: v.scope ?? 'GLOBAL',
      type: v.type ?? 'CASH',
      amount: v.amount,
      ...(v.stock_id !== undefined && { stock_id: v.stock_id }),
      wechatpay_contribute: wechat,
      merchant_contribute: v.merchant_contribute ?? v.amount - wechat - other,
      other_contribute: other,
      currency: 'CNY',
    };
  });
}

/** Marks an order paid now, with the customer's vouchers. */
export function markPaid(
  ctx: SimContext,
  o: SimOrder,
  vouchers: readonly VoucherSpec[],
  openid?: string,
): void {
  o.promotions = promotionsFor(ctx, vouchers);
  const off = o.promotions.reduce((s, p) => s + p.amount, 0);
  o.state = 'SUCCESS';
  o.stateDesc = '支付成功';
  o.transactionId = nextId(ctx, '42', 28);
  o.successTime = rfc3339China(ctx.clock());
  o.payerOpenid = openid ?? `o${nextId(ctx, 'Sim', 27)}`;
  o.payerTotal = Math.max(0, o.total - off);
  delete o.pending;
}
