import { z } from 'zod';
import type { SimContext } from './context';
import { nextId } from './context';
import type { SimOrder } from './state';
import { fail, markPaid, type SimAnswer, transactionView } from './views';

/**
 * The payment endpoints of the simulated API v3: Native下单, 付款码支付,
 * 商户订单号查询订单, 关闭订单, 撤销. Request shapes as the API reference (and
 * wechatpay-go's models) define them; unknown fields are ignored as WeChat does.
 */
const OutTradeNo = z.string().regex(/^[A-Za-z0-9_\-|*]{6,32}$/);
const Rfc3339 = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)
  .refine((s) => !Number.isNaN(Date.parse(s)));
const Amount = z.object({ total: z.number().int().min(1), currency: z.literal('CNY').optional() });
const StoreInfo = z.object({ id: z.string().min(1).max(32) }).loose();

const NativeBody = z
  .object({
    appid: z.string().min(1),
    mchid: z.string().min(1),
    description: z.string().min(1).max(127),
    out_trade_no: OutTradeNo,
    time_expire: Rfc3339.optional(),
    attach: z.string().max(128).optional(),
    notify_url: z.url(),
    amount: Amount,
    scene_info: z
      .object({
        payer_client_ip: z.string().min(1),
        device_id: z.string().max(32).optional(),
        store_info: StoreInfo.optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const CodepayBody = z
  .object({
    appid: z.string().min(1),
    mchid: z.string().min(1),
    description: z.string().min(1).max(127),
    out_trade_no: OutTradeNo,
    attach: z.string().max(128).optional(),
    payer: z.object({ auth_code: z.string().regex(/^1[0-5]\d{16}$/) }),
    amount: Amount,
    scene_info: z
      .object({ device_id: z.string().min(1).max(32), store_info: StoreInfo.optional() })
      .loose(),
  })
  .loose();

/** 400 PARAM_ERROR naming the first field at fault, as WeChat's messages do. */
function paramError(error: z.ZodError): SimAnswer {
  const path = error.issues[0]?.path.map(String).join('.') ?? 'body';
  return fail(400, 'PARAM_ERROR', `输入源"/body/${path}"校验失败 (invalid ${path})`);
}

function checkMerchant(ctx: SimContext, appid: string, mchid: string): SimAnswer | undefined {
  if (mchid !== ctx.keys.mchid)
    return fail(
      400,
      'PARAM_ERROR',
      'mchid与请求签名的商户号不一致 (mchid does not match the signature)',
    );
  if (appid !== ctx.keys.appid)
    // Real answers echo the ids, which is why the client scrubs them from messages.
    return fail(400, 'APPID_MCHID_NOT_MATCH', `appid(${appid})和mch_id(${mchid})不匹配`);
  return undefined;
}

/** A repeated out_trade_no is the same order only if the request is the same. */
function existing(
  ctx: SimContext,
  no: string,
  fingerprint: string,
): SimOrder | SimAnswer | undefined {
  const o = ctx.state.orders.get(no);
  if (o === undefined) return undefined;
  if (o.fingerprint !== fingerprint)
    return fail(
      400,
      'INVALID_REQUEST',
      '商户订单号重复 (out_trade_no already used for another order)',
    );
  return o;
}

const isAnswer = (x: SimOrder | SimAnswer): x is SimAnswer => 'status' in x;

export function createNative(ctx: SimContext, raw: string): SimAnswer {
  const p = NativeBody.safeParse(JSON.parse(raw));
  if (!p.success) return paramError(p.error);
  const b = p.data;
  const bad = checkMerchant(ctx, b.appid, b.mchid);
  if (bad) return bad;
  const expire = b.time_expire === undefined ? undefined : Date.parse(b.time_expire);
  if (expire !== undefined && expire <= ctx.clock().getTime())
    return fail(400, 'INVALID_REQUEST', 'time_expire 已过期 (time_expire is in the past)');
  const same = existing(ctx, b.out_trade_no, raw);
  if (same !== undefined) {
    if (isAnswer(same)) return same;
    if (same.state === 'SUCCESS')
      return fail(400, 'ORDERPAID', '该订单已支付 (order already paid)');
    if (same.state === 'CLOSED') return fail(400, 'ORDER_CLOSED', '订单已关闭 (order closed)');
    return { status: 200, body: { code_url: same.codeUrl } };
  }
  const codeUrl = `weixin://wxpay/bizpayurl?pr=${nextId(ctx, 'sim', 12)}`;
  ctx.state.orders.set(b.out_trade_no, {
    outTradeNo: b.out_trade_no,
    tradeType: 'NATIVE',
    appid: b.appid,
    mchid: b.mchid,
    description: b.description,
    total: b.amount.total,
    ...(b.attach !== undefined && { attach: b.attach }),
    notifyUrl: b.notify_url,
    ...(expire !== undefined && { timeExpireMs: expire }),
    ...(b.scene_info?.device_id !== undefined && { deviceId: b.scene_info.device_id }),
    codeUrl,
    fingerprint: raw,
    state: 'NOTPAY',
    stateDesc: '订单未支付',
    promotions: [],
    polls: 0,
  });
  return { status: 200, body: { code_url: codeUrl } };
}

export function codepay(ctx: SimContext, raw: string): SimAnswer {
  const p = CodepayBody.safeParse(JSON.parse(raw));
  if (!p.success) return paramError(p.error);
  const b = p.data;
  const bad = checkMerchant(ctx, b.appid, b.mchid);
  if (bad) return bad;
  const same = existing(ctx, b.out_trade_no, raw);
  if (same !== undefined) {
    if (isAnswer(same)) return same;
    return same.state === 'SUCCESS'
      ? { status: 200, body: transactionView(same) }
      : fail(400, 'INVALID_REQUEST', '订单已存在，请更换商户订单号 (use a new out_trade_no)');
  }
  const order: SimOrder = {
    outTradeNo: b.out_trade_no,
    tradeType: 'MICROPAY',
    appid: b.appid,
    mchid: b.mchid,
    description: b.description,
    total: b.amount.total,
    ...(b.attach !== undefined && { attach: b.attach }),
    deviceId: b.scene_info.device_id,
    fingerprint: raw,
    state: 'USERPAYING',
    stateDesc: '用户支付中，需要输入密码',
    promotions: [],
    polls: 0,
  };
  ctx.state.orders.set(b.out_trade_no, order);
  const behaviour = ctx.state.codePay;
  const vouchers = behaviour.vouchers ?? [];
  switch (behaviour.result) {
    case 'success':
      markPaid(ctx, order, vouchers);
      return { status: 200, body: transactionView(order) };
    case 'notenough':
      order.state = 'PAYERROR';
      order.stateDesc = '用户余额不足';
      return fail(403, 'NOTENOUGH', '用户余额不足，请用户换卡支付 (insufficient balance)');
    case 'userpaying':
      order.pending = {
        ...(behaviour.confirmAfterPolls !== undefined && {
          confirmAfterPolls: behaviour.confirmAfterPolls,
        }),
        then: behaviour.then ?? 'never',
        vouchers,
      };
      // HTTP 202 with trade_state USERPAYING: the customer is entering a password.
      return { status: 202, body: transactionView(order) };
  }
}

/** What a USERPAYING order does when its customer finishes. */
export function finishCodePay(ctx: SimContext, o: SimOrder, result: 'success' | 'notenough'): void {
  if (result === 'success') markPaid(ctx, o, o.pending?.vouchers ?? []);
  else {
    o.state = 'PAYERROR';
    o.stateDesc = '支付失败，请撤销订单 (用户余额不足)';
    delete o.pending;
  }
}

export function query(ctx: SimContext, no: string, mchid: string | null): SimAnswer {
  if (mchid !== ctx.keys.mchid)
    return fail(
      400,
      'PARAM_ERROR',
      'mchid 缺失或不正确 (query parameter mchid is missing or wrong)',
    );
  const o = ctx.state.orders.get(no);
  if (o === undefined) return fail(404, 'ORDER_NOT_EXIST', '订单不存在 (no such order)');
  if (o.state === 'USERPAYING' && o.pending !== undefined) {
    o.polls += 1;
    const after = o.pending.confirmAfterPolls;
    if (o.pending.then !== 'never' && after !== undefined && o.polls >= after)
      finishCodePay(ctx, o, o.pending.then);
  }
  return { status: 200, body: transactionView(o) };
}

export function close(ctx: SimContext, no: string, raw: string): SimAnswer {
  const p = z.object({ mchid: z.string() }).loose().safeParse(JSON.parse(raw));
  if (!p.success) return paramError(p.error);
  if (p.data.mchid !== ctx.keys.mchid)
    return fail(400, 'PARAM_ERROR', 'mchid 不正确 (wrong mchid)');
  const o = ctx.state.orders.get(no);
  if (o === undefined) return fail(404, 'ORDER_NOT_EXIST', '订单不存在 (no such order)');
  if (o.state === 'SUCCESS' || o.state === 'REFUND')
    return fail(400, 'ORDERPAID', '订单已支付，不能关闭 (order already paid)');
  if (o.state === 'NOTPAY' || o.state === 'USERPAYING' || o.state === 'PAYERROR') {
    o.state = 'CLOSED';
    o.stateDesc = '订单已关闭';
    delete o.pending;
  }
  return { status: 204 };
}

/** 撤销: closes an unpaid payment-code order, or refunds a paid one in full, and ends it REVOKED. */
export function reverse(ctx: SimContext, no: string, raw: string): SimAnswer {
  const p = z.object({ appid: z.string(), mchid: z.string() }).loose().safeParse(JSON.parse(raw));
  if (!p.success) return paramError(p.error);
  const bad = checkMerchant(ctx, p.data.appid, p.data.mchid);
  if (bad) return bad;
  const o = ctx.state.orders.get(no);
  if (o === undefined) return fail(404, 'ORDER_NOT_EXIST', '订单不存在 (no such order)');
  if (o.tradeType !== 'MICROPAY')
    return fail(
      400,
      'INVALID_REQUEST',
      '仅付款码支付订单可撤销 (only payment-code orders can be reversed)',
    );
  if (o.state === 'REFUND')
    return fail(400, 'INVALID_REQUEST', '订单已发生退款，不能撤销 (order has refunds)');
  o.state = 'REVOKED';
  o.stateDesc = '已撤销';
  delete o.pending;
  return { status: 200, body: { appid: o.appid, mchid: o.mchid, out_trade_no: o.outTradeNo } };
}
