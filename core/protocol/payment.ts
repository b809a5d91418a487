import { z } from 'zod';
import { ClientId, Instant } from '../ids';
import { Fen } from '../money';
import { ManagerApproval } from './refund';

/**
 * A WeChat Native order for a sale's pending `wechat_native` tender; `paymentId` is the idempotency
 * key. Above the server's approval limit a new payment needs a manager's `approval` (not part of
 * the idempotency comparison: a repeat needs none).
 */
export const NativePaymentRequest = z
  .object({
    paymentId: ClientId,
    saleId: ClientId,
    amountFen: Fen,
    approval: ManagerApproval.optional(),
  })
  .strict()
  .describe('Native payment request');
export type NativePaymentRequest = z.infer<typeof NativePaymentRequest>;

/**
 * A WeChat payment code (付款码) as scanned from the customer's phone: 18 digits starting 10–15.
 * Anything else (an Alipay code, a misread) is refused before WeChat is asked.
 */
export const AuthCode = z
  .string()
  .regex(
    /^1[0-5]\d{16}$/,
    'not a WeChat payment code: it is 18 digits starting with 10 to 15 (ask the customer to show the WeChat 付款码 again)',
  );

/**
 * A payment-code (付款码) payment of a sale's pending `wechat_code` tender; `paymentId` is the
 * idempotency key (the same id and body again answer the stored payment). Above the server's
 * approval limit a new payment needs a manager's `approval`, as a Native one (not part of the
 * idempotency comparison: a repeat needs none).
 */
export const CodePaymentRequest = z
  .object({
    paymentId: ClientId,
    saleId: ClientId,
    amountFen: Fen,
    authCode: AuthCode,
    approval: ManagerApproval.optional(),
  })
  .strict()
  .describe('payment code request');
export type CodePaymentRequest = z.infer<typeof CodePaymentRequest>;

/**
 * creating: stored, the order not yet placed (or its answer lost); pending: the customer may pay
 * (Native); user_paying: a payment code waits for the customer's password, the server polls;
 * paid: confirmed twice by WeChat; closed / failed: will not be paid; declined: WeChat refused the
 * payment code (see `reason`); unknown: no answer yet, the server queries — or, when `held`, the
 * confirmations disagree and a manager decides; reversing / reversed: we gave up on a payment code
 * and take it back (the tender failed); refunding / refunded_late: it was paid after we gave up
 * and is refunded automatically.
 */
export const PaymentState = z.enum([
  'creating',
  'pending',
  'user_paying',
  'paid',
  'closed',
  'failed',
  'declined',
  'unknown',
  'reversing',
  'reversed',
  'refunding',
  'refunded_late',
]);
export type PaymentState = z.infer<typeof PaymentState>;

/**
 * Why a payment is where it is, for the cashier (zh-CN and English in core/messages/payment.ts):
 * USERPAYING the customer is entering a password; NOTENOUGH the balance is short; AUTHCODE_EXPIRED
 * / AUTHCODE_INVALID the code is stale or not valid; PAYERROR WeChat failed the payment; DECLINED
 * another refusal; TIMEOUT the customer did not confirm in time; NO_ANSWER WeChat did not answer
 * (the server queries, nothing is assumed); EXPIRED a Native QR code was not paid in time;
 * PAID_LATE the customer paid after we gave up (refunded automatically); REPLACED the till took the
 * sale again with another tender, so the order was closed or reversed (any charge refunded).
 */
export const PaymentReason = z.enum([
  'USERPAYING',
  'NOTENOUGH',
  'AUTHCODE_EXPIRED',
  'AUTHCODE_INVALID',
  'PAYERROR',
  'DECLINED',
  'TIMEOUT',
  'NO_ANSWER',
  'EXPIRED',
  'PAID_LATE',
  'REPLACED',
]);
export type PaymentReason = z.infer<typeof PaymentReason>;

/** A payment as its till sees it. No merchant ids, no keys. */
export const PaymentView = z
  .object({
    paymentId: ClientId,
    saleId: ClientId,
    method: z.enum(['native', 'code']),
    state: PaymentState,
    amountFen: Fen,
    /** The QR code's content for the customer display while pending. */
    codeUrl: z.string().nullable(),
    expiresAt: Instant.nullable(),
    /** WeChat's transaction id (微信支付订单号) once paid: printed on the receipt, asked for at refunds. */
    transactionId: z.string().max(64).nullable(),
    /** The confirmations disagreed: a manager decides, the till must not treat it as paid. */
    held: z.boolean(),
    /** Why it is (or ended) so; messages in core/messages/payment.ts. */
    reason: PaymentReason.nullable(),
  })
  .strict();
export type PaymentView = z.infer<typeof PaymentView>;

export const ByPayment = z
  .object({ id: ClientId })
  .strict()
  .describe('payment id in the path (the UUID the till gave the payment)');

export const ClosePaymentRequest = z.object({}).strict();

/** What WeChat is answered when a notification is not acknowledged (回调应答); 204 otherwise. */
export const WechatNotifyAnswer = z
  .object({ code: z.literal('FAIL'), message: z.string() })
  .strict();
