import { z } from 'zod';
import { OutRefundNo, OutTradeNo } from '../ids';
import type { RefundInput, RefundResult } from '../provider';
import type { WechatPayConfig } from './config';
import type { HttpOutcome, WechatHttp } from './http-client';
import { refund } from './mapping';
import { invalidInput } from './orders';
import { type WireRefundRequest, WireRefund } from './wire';

/**
 * 原路退款 through 申请退款 and 查询单笔退款 (wechatpay-go
 * services/refunddomestic/api_refunds.go). Idempotency is WeChat's: the same
 * out_refund_no sent again answers the refund already made, so a caller that
 * got `unknown` retries with the same number.
 */
const Input = z
  .object({
    outTradeNo: OutTradeNo,
    outRefundNo: OutRefundNo,
    refund: z.number().int().min(1, 'must be at least 1 fen'),
    total: z.number().int().min(1, 'must be at least 1 fen'),
    reason: z.string().min(1).max(80).optional(),
  })
  .refine((r) => r.refund <= r.total, { message: 'cannot exceed the total', path: ['refund'] });

function refundAnswer(r: HttpOutcome): RefundResult {
  if (!r.ok) return r;
  const w = WireRefund.safeParse(r.body);
  if (!w.success)
    return {
      ok: false,
      kind: 'unknown',
      code: 'MALFORMED_RESPONSE',
      message: 'the refund answer does not have the expected fields',
      ...(r.requestId !== undefined && { requestId: r.requestId }),
    };
  return { ok: true, refund: refund(w.data) };
}

export interface RefundEndpoints {
  refund(input: RefundInput): Promise<RefundResult>;
  queryRefund(outRefundNo: string): Promise<RefundResult>;
}

export function refundEndpoints(config: WechatPayConfig, http: WechatHttp): RefundEndpoints {
  return {
    async refund(input) {
      const p = Input.safeParse(input);
      if (!p.success) return invalidInput(p.error);
      const i = p.data;
      const body: WireRefundRequest = {
        out_trade_no: i.outTradeNo,
        out_refund_no: i.outRefundNo,
        ...(i.reason !== undefined && { reason: i.reason }),
        notify_url: config.refundNotifyUrl,
        amount: { refund: i.refund, total: i.total, currency: 'CNY' },
      };
      return refundAnswer(await http.call('POST', '/v3/refund/domestic/refunds', { body }));
    },

    async queryRefund(outRefundNo) {
      const no = OutRefundNo.safeParse(outRefundNo);
      if (!no.success) return invalidInput(no.error);
      return refundAnswer(
        await http.call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(no.data)}`),
      );
    },
  };
}
