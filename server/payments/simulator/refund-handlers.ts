import { z } from 'zod';
import { rfc3339China } from '../wechat/rfc3339';
import type { SimContext } from './context';
import { nextId } from './context';
import type { SimRefund } from './state';
import { fail, refundNoticeView, refundView, type SimAnswer } from './views';

/**
 * 申请退款 and 查询单笔退款 (wechatpay-go services/refunddomestic). A refund is
 * PROCESSING when answered and settles after the configured delay to the
 * configured result, with a REFUND.* notification. The same out_refund_no
 * with the same request answers the refund already made: one refund, however
 * often it is retried.
 */
const RefundBody = z
  .object({
    out_trade_no: z.string().min(1).optional(),
    transaction_id: z.string().min(1).optional(),
    out_refund_no: z.string().regex(/^[A-Za-z0-9_\-|*@]{1,64}$/),
    reason: z.string().max(80).optional(),
    notify_url: z.url().optional(),
    amount: z.object({
      refund: z.number().int().min(1),
      total: z.number().int().min(1),
      currency: z.literal('CNY'),
    }),
  })
  .loose();

const SUMMARY = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' } as const;

function settle(ctx: SimContext, r: SimRefund): void {
  if (r.status !== 'PROCESSING') return;
  const result = ctx.state.refund.result;
  r.status = result;
  if (result === 'SUCCESS') r.successTime = rfc3339China(ctx.clock());
  if (r.notifyUrl !== undefined)
    ctx.notifier.send(
      r.notifyUrl,
      `REFUND.${result}`,
      SUMMARY[result],
      'refund',
      refundNoticeView(r, ctx.keys.mchid),
    );
}

export function createRefund(
  ctx: SimContext,
  raw: string,
  schedule: (fn: () => void, ms: number) => void,
): SimAnswer {
  const p = RefundBody.safeParse(JSON.parse(raw));
  if (!p.success) {
    const path = p.error.issues[0]?.path.map(String).join('.') ?? 'body';
    return fail(400, 'PARAM_ERROR', `输入源"/body/${path}"校验失败 (invalid ${path})`);
  }
  const b = p.data;
  const order = [...ctx.state.orders.values()].find(
    (o) =>
      (b.out_trade_no !== undefined && o.outTradeNo === b.out_trade_no) ||
      (b.transaction_id !== undefined && o.transactionId === b.transaction_id),
  );
  if (order === undefined) return fail(404, 'RESOURCE_NOT_EXISTS', '订单不存在 (no such order)');

  const fingerprint = JSON.stringify([order.outTradeNo, b.amount.refund, b.amount.total]);
  const again = ctx.state.refunds.get(b.out_refund_no);
  if (again !== undefined)
    return again.fingerprint === fingerprint
      ? { status: 200, body: refundView(again) }
      : fail(
          400,
          'INVALID_REQUEST',
          '退款单号重复且参数不一致 (out_refund_no reused with other values)',
        );

  if (order.transactionId === undefined || !(order.state === 'SUCCESS' || order.state === 'REFUND'))
    return fail(400, 'INVALID_REQUEST', '订单未支付，不能退款 (the order is not paid)');
  if (b.amount.total !== order.total)
    return fail(
      400,
      'INVALID_REQUEST',
      '订单金额与原订单不一致 (amount.total differs from the order)',
    );
  const refunded = [...ctx.state.refunds.values()]
    .filter((r) => r.outTradeNo === order.outTradeNo && r.status !== 'CLOSED')
    .reduce((s, r) => s + r.refund, 0);
  if (refunded + b.amount.refund > order.total)
    return fail(
      400,
      'INVALID_REQUEST',
      '申请退款金额超过订单可退金额 (refund exceeds what is left)',
    );

  const payerTotal = order.payerTotal ?? order.total;
  const r: SimRefund = {
    outRefundNo: b.out_refund_no,
    refundId: nextId(ctx, '50', 29),
    outTradeNo: order.outTradeNo,
    transactionId: order.transactionId,
    refund: b.amount.refund,
    total: order.total,
    payerRefund: Math.round((b.amount.refund * payerTotal) / order.total),
    payerTotal,
    createTime: rfc3339China(ctx.clock()),
    ...(b.notify_url !== undefined && { notifyUrl: b.notify_url }),
    fingerprint,
    status: 'PROCESSING',
  };
  ctx.state.refunds.set(r.outRefundNo, r);
  order.state = 'REFUND';
  order.stateDesc = '转入退款';
  schedule(() => settle(ctx, r), ctx.state.refund.afterMs);
  return { status: 200, body: refundView(r) };
}

export function queryRefund(ctx: SimContext, outRefundNo: string): SimAnswer {
  const r = ctx.state.refunds.get(outRefundNo);
  if (r === undefined) return fail(404, 'RESOURCE_NOT_EXISTS', '退款单不存在 (no such refund)');
  return { status: 200, body: refundView(r) };
}
