import { z } from 'zod';
import { AuthCode, OutTradeNo } from '../ids';
import type {
  CodePayInput,
  CreateNativeResult,
  DoneResult,
  Failure,
  NativeOrderInput,
  PayByCodeResult,
  QueryResult,
} from '../provider';
import type { WechatPayConfig } from './config';
import type { HttpOutcome, WechatHttp } from './http-client';
import { transaction } from './mapping';
import { rfc3339China } from './rfc3339';
import {
  type WireCodepayRequest,
  type WireNativeRequest,
  WireNativePrepay,
  WireTransaction,
} from './wire';

/**
 * The order endpoints of API v3 for a direct merchant: Native下单, 付款码支付,
 * 商户订单号查询订单, 关闭订单 and 撤销 (paths as in wechatpay-go
 * services/payments/native/api_native.go and the 付款码支付 reference).
 */
const Description = z.string().min(1).max(127);
const ShortId = z.string().min(1).max(32);
const Amount = z.number().int().min(1, 'must be at least 1 fen').max(Number.MAX_SAFE_INTEGER);

const NativeInput = z.object({
  outTradeNo: OutTradeNo,
  description: Description,
  amount: Amount,
  expiresAt: z.date(),
  payerClientIp: z.string().min(1).max(45),
  storeId: ShortId,
  deviceId: ShortId.optional(),
  attach: z.string().max(128).optional(),
});

const CodeInput = z.object({
  outTradeNo: OutTradeNo,
  description: Description,
  amount: Amount,
  authCode: AuthCode,
  deviceId: ShortId,
  storeId: ShortId,
  deviceIp: z.string().min(1).max(45).optional(),
  attach: z.string().max(128).optional(),
});

/** An `invalid` Failure naming the first field at fault (never its value: it may be a payment code). */
export function invalidInput(error: z.ZodError): Failure {
  const first = error.issues[0];
  const path = first?.path.map(String).join('.') || 'input';
  const why =
    first?.code === 'invalid_format' || first?.code === 'too_small' ? first.message : first?.code;
  return {
    ok: false,
    kind: 'invalid',
    code: 'INVALID_INPUT',
    message: `${path}: ${why ?? 'invalid'}`,
  };
}

const malformed = (what: string, requestId?: string): Failure => ({
  ok: false,
  kind: 'unknown',
  code: 'MALFORMED_RESPONSE',
  message: `the ${what} answer does not have the expected fields`,
  ...(requestId !== undefined && { requestId }),
});

const orderPath = (no: string): string =>
  `/v3/pay/transactions/out-trade-no/${encodeURIComponent(no)}`;

export interface OrderEndpoints {
  createNative(input: NativeOrderInput): Promise<CreateNativeResult>;
  payByCode(input: CodePayInput): Promise<PayByCodeResult>;
  query(outTradeNo: string): Promise<QueryResult>;
  close(outTradeNo: string): Promise<DoneResult>;
  reverse(outTradeNo: string): Promise<DoneResult>;
}

export function orderEndpoints(config: WechatPayConfig, http: WechatHttp): OrderEndpoints {
  const appid = (): string => config.appid.reveal();
  const mchid = (): string => config.mchid.reveal();

  return {
    async createNative(input) {
      const p = NativeInput.safeParse(input);
      if (!p.success) return invalidInput(p.error);
      const i = p.data;
      const body: WireNativeRequest = {
        appid: appid(),
        mchid: mchid(),
        description: i.description,
        out_trade_no: i.outTradeNo,
        time_expire: rfc3339China(i.expiresAt),
        ...(i.attach !== undefined && { attach: i.attach }),
        notify_url: config.notifyUrl,
        amount: { total: i.amount, currency: 'CNY' },
        scene_info: {
          payer_client_ip: i.payerClientIp,
          ...(i.deviceId !== undefined && { device_id: i.deviceId }),
          store_info: { id: i.storeId },
        },
      };
      const r = await http.call('POST', '/v3/pay/transactions/native', { body });
      if (!r.ok) return r;
      const answer = WireNativePrepay.safeParse(r.body);
      if (!answer.success) return malformed('Native下单', r.requestId);
      return { ok: true, codeUrl: answer.data.code_url };
    },

    async payByCode(input) {
      const p = CodeInput.safeParse(input);
      if (!p.success) return invalidInput(p.error);
      const i = p.data;
      const body: WireCodepayRequest = {
        appid: appid(),
        mchid: mchid(),
        description: i.description,
        out_trade_no: i.outTradeNo,
        ...(i.attach !== undefined && { attach: i.attach }),
        payer: { auth_code: i.authCode },
        amount: { total: i.amount, currency: 'CNY' },
        scene_info: {
          device_id: i.deviceId,
          ...(i.deviceIp !== undefined && { device_ip: i.deviceIp }),
          store_info: { id: i.storeId },
        },
      };
      const r = await http.call('POST', '/v3/pay/transactions/codepay', { body });
      if (!r.ok) return r;
      return codepayAnswer(r);
    },

    async query(outTradeNo) {
      const no = OutTradeNo.safeParse(outTradeNo);
      if (!no.success) return invalidInput(no.error);
      const r = await http.call('GET', orderPath(no.data), { query: { mchid: mchid() } });
      if (!r.ok) return r;
      const t = WireTransaction.safeParse(r.body);
      if (!t.success) return malformed('order query', r.requestId);
      return { ok: true, transaction: transaction(t.data) };
    },

    async close(outTradeNo) {
      const no = OutTradeNo.safeParse(outTradeNo);
      if (!no.success) return invalidInput(no.error);
      const r = await http.call('POST', `${orderPath(no.data)}/close`, {
        body: { mchid: mchid() },
      });
      return r.ok ? { ok: true } : r;
    },

    async reverse(outTradeNo) {
      const no = OutTradeNo.safeParse(outTradeNo);
      if (!no.success) return invalidInput(no.error);
      const r = await http.call('POST', `${orderPath(no.data)}/reverse`, {
        body: { appid: appid(), mchid: mchid() },
      });
      return r.ok ? { ok: true } : r;
    },
  };
}

/**
 * A verified 2xx to 付款码支付 is never a failure: SUCCESS is paid; 202 (or a
 * USERPAYING state) means the customer is entering a password; any other
 * shape or state is `unknown`, to be settled by querying.
 */
function codepayAnswer(r: Extract<HttpOutcome, { ok: true }>): PayByCodeResult {
  const t = WireTransaction.safeParse(r.body);
  if (t.success && t.data.trade_state === 'SUCCESS')
    return { ok: true, status: 'paid', transaction: transaction(t.data) };
  if (r.status === 202 || (t.success && t.data.trade_state === 'USERPAYING'))
    return { ok: true, status: 'user_paying' };
  return {
    ok: false,
    kind: 'unknown',
    code: 'MALFORMED_RESPONSE',
    message: `付款码支付 answered HTTP ${r.status} without a final state; query the order`,
    ...(r.requestId !== undefined && { requestId: r.requestId }),
  };
}
