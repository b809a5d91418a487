import { z } from 'zod';
import { ClientId, Instant } from '../ids';
import { Fen } from '../money';

/** A WeChat Native order for a sale's pending `wechat_native` tender; `paymentId` is the idempotency key. */
export const NativePaymentRequest = z
  .object({ paymentId: ClientId, saleId: ClientId, amountFen: Fen })
  .strict()
  .describe('Native payment request');
export type NativePaymentRequest = z.infer<typeof NativePaymentRequest>;

/**
 * creating: stored, the order not yet placed (or its answer lost); pending: the customer may pay;
 * paid: confirmed by the notification and an order query; closed / failed: will not be paid;
 * unknown: the confirmations disagree, held for a manager.
 */
export const PaymentState = z.enum(['creating', 'pending', 'paid', 'closed', 'failed', 'unknown']);
export type PaymentState = z.infer<typeof PaymentState>;

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
