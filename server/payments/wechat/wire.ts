import { z } from 'zod';

/**
 * The WeChat Pay API v3 wire shapes we send and read, validated with zod at
 * the process boundary. Field names follow the official Go SDK
 * (github.com/wechatpay-apiv3/wechatpay-go, services/payments/models.go,
 * services/payments/native/models.go, services/refunddomestic/models.go,
 * core/notify/notify_request.go, core/error.go) and the API reference at
 * pay.weixin.qq.com/doc/v3/merchant (Native下单, 付款码支付, 撤销, 商户订单号查询订单,
 * 申请退款, 支付/退款结果通知). Reading schemas keep unknown fields (WeChat adds
 * fields without notice); sending types list only what we send.
 */

// Amounts are whole fen and never negative on the wire.
const int = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** 订单金额 as a transaction reports it (Go SDK `TransactionAmount`). */
export const WireTransactionAmount = z.object({
  total: int.optional(),
  payer_total: int.optional(),
  currency: z.string().optional(),
  payer_currency: z.string().optional(),
});

/** One voucher used on a payment (Go SDK `PromotionDetail`; 代金券/立减与优惠). */
export const WirePromotionDetail = z.object({
  coupon_id: z.string(),
  name: z.string().optional(),
  /** GLOBAL (全场) or SINGLE (单品). */
  scope: z.string().optional(),
  /** CASH (充值型代金券) or NOCASH (免充值型代金券). */
  type: z.string().optional(),
  amount: int,
  stock_id: z.string().optional(),
  wechatpay_contribute: int.optional(),
  merchant_contribute: int.optional(),
  other_contribute: int.optional(),
  currency: z.string().optional(),
  goods_detail: z
    .array(
      z.object({
        goods_id: z.string(),
        quantity: int,
        unit_price: int,
        discount_amount: int,
        goods_remark: z.string().optional(),
      }),
    )
    .optional(),
});
export type WirePromotionDetail = z.infer<typeof WirePromotionDetail>;

/**
 * 交易状态 (Go SDK `Transaction.TradeState`; the query API's list). REVOKED,
 * USERPAYING and PAYERROR happen only to payment-code (MICROPAY) orders.
 */
export const WireTradeState = z.enum([
  'SUCCESS',
  'REFUND',
  'NOTPAY',
  'CLOSED',
  'REVOKED',
  'USERPAYING',
  'PAYERROR',
]);
export type WireTradeState = z.infer<typeof WireTradeState>;

/**
 * A transaction from 商户订单号查询订单, the 付款码支付 answer, and the decrypted
 * TRANSACTION.SUCCESS resource (Go SDK `Transaction`; `scene_info` per 付款码支付).
 */
export const WireTransaction = z.object({
  appid: z.string().optional(),
  mchid: z.string().optional(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  /** NATIVE, MICROPAY, JSAPI, APP, MWEB, FACEPAY. */
  trade_type: z.string().optional(),
  trade_state: WireTradeState,
  trade_state_desc: z.string().optional(),
  bank_type: z.string().optional(),
  attach: z.string().optional(),
  /** RFC 3339, e.g. 2018-06-08T10:34:56+08:00. */
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string().optional() }).optional(),
  amount: WireTransactionAmount.optional(),
  scene_info: z.object({ device_id: z.string().optional() }).optional(),
  promotion_detail: z.array(WirePromotionDetail).optional(),
});
export type WireTransaction = z.infer<typeof WireTransaction>;

/** Native下单 answer (Go SDK native `PrepayResponse`). */
export const WireNativePrepay = z.object({ code_url: z.string().min(1) });

/** 退款状态 (Go SDK refunddomestic `Status`). */
export const WireRefundStatus = z.enum(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL']);
export type WireRefundStatus = z.infer<typeof WireRefundStatus>;

/** 申请退款 / 查询单笔退款 answer (Go SDK refunddomestic `Refund`). */
export const WireRefund = z.object({
  refund_id: z.string(),
  out_refund_no: z.string(),
  transaction_id: z.string().optional(),
  out_trade_no: z.string().optional(),
  /** ORIGINAL (原路退款), BALANCE, OTHER_BALANCE, OTHER_BANKCARD. */
  channel: z.string().optional(),
  user_received_account: z.string().optional(),
  success_time: z.string().optional(),
  create_time: z.string().optional(),
  status: WireRefundStatus,
  funds_account: z.string().optional(),
  amount: z.object({
    total: int,
    refund: int,
    payer_total: int.optional(),
    payer_refund: int.optional(),
    settlement_refund: int.optional(),
    settlement_total: int.optional(),
    discount_refund: int.optional(),
    currency: z.string().optional(),
  }),
});
export type WireRefund = z.infer<typeof WireRefund>;

/**
 * The decrypted REFUND.* resource (退款结果通知): flatter than WireRefund,
 * with `refund_status` instead of `status`.
 */
export const WireRefundNotice = z.object({
  mchid: z.string().optional(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: WireRefundStatus,
  success_time: z.string().optional(),
  user_received_account: z.string().optional(),
  amount: z.object({
    total: int,
    refund: int,
    payer_total: int.optional(),
    payer_refund: int.optional(),
  }),
});
export type WireRefundNotice = z.infer<typeof WireRefundNotice>;

/** Every v3 error body (Go SDK core/error.go `APIError`): `{code, message, detail?}`. */
export const WireError = z.object({
  code: z.string(),
  message: z.string().optional(),
  detail: z.unknown().optional(),
});
export type WireError = z.infer<typeof WireError>;

/** The notification envelope (Go SDK core/notify `Request` and `EncryptedResource`). */
export const WireNotification = z.object({
  id: z.string(),
  create_time: z.string(),
  event_type: z.string(),
  resource_type: z.literal('encrypt-resource'),
  summary: z.string().optional(),
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    /** `transaction` for payments, `refund` for refunds. */
    original_type: z.string(),
  }),
});
export type WireNotification = z.infer<typeof WireNotification>;

/** What we send to Native下单 (Go SDK native `PrepayRequest`). */
export interface WireNativeRequest {
  readonly appid: string;
  readonly mchid: string;
  readonly description: string;
  readonly out_trade_no: string;
  readonly time_expire: string;
  readonly attach?: string;
  readonly notify_url: string;
  readonly amount: { readonly total: number; readonly currency: 'CNY' };
  readonly scene_info: {
    readonly payer_client_ip: string;
    readonly device_id?: string;
    readonly store_info: { readonly id: string };
  };
}

/** What we send to 付款码支付 (API reference 付款码支付; wechatpay.im/openapi/v3/pay/transactions/codepay). */
export interface WireCodepayRequest {
  readonly appid: string;
  readonly mchid: string;
  readonly description: string;
  readonly out_trade_no: string;
  readonly attach?: string;
  readonly payer: { readonly auth_code: string };
  readonly amount: { readonly total: number; readonly currency: 'CNY' };
  readonly scene_info: {
    readonly device_id: string;
    readonly device_ip?: string;
    readonly store_info: { readonly id: string };
  };
}

/** What we send to 申请退款 (Go SDK refunddomestic `CreateRequest`). */
export interface WireRefundRequest {
  readonly out_trade_no: string;
  readonly out_refund_no: string;
  readonly reason?: string;
  readonly notify_url: string;
  readonly amount: { readonly refund: number; readonly total: number; readonly currency: 'CNY' };
}
