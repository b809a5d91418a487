import { z } from 'zod';
import { ClientId, Instant, LineId, VoucherCode } from '../ids';
import { Fen } from '../money';
import { SafeText } from '../text';
import { SaleState, SaleTotals } from './sale';

/**
 * A store manager's approval, given at the till for one request: the manager types their own
 * username and password there. Checked on the server with the password login's guessing limits
 * (attempts per address, failures per username) and recorded in the audit log; never stored.
 */
export const ManagerApproval = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .strict()
  .describe("manager's approval");
export type ManagerApproval = z.infer<typeof ManagerApproval>;

/** A line of the sale given back, for the record (the amount is what is refunded). */
export const RefundLine = z.object({ lineId: LineId, quantity: z.number().int().min(1) }).strict();
export type RefundLine = z.infer<typeof RefundLine>;

/**
 * POST /v1/refunds. `refundId` is the idempotency key within the terminal: the same request sent
 * again (an answer lost) continues the same refund, with the same out_refund_no at WeChat, and
 * needs no approval again. A new refund always needs a manager's `approval`.
 * With `lines` the server counts the amount from the sale's stored lines and voucher discount
 * (core/sales lineRefundAmount) and refuses units beyond what each line has left; `amountFen`,
 * if sent too, must agree. Without lines, `amountFen` is refunded as a sum.
 */
export const RefundRequest = z
  .object({
    refundId: ClientId,
    saleId: ClientId,
    amountFen: Fen.refine((n) => n >= 1, 'a refund is at least 1 fen').optional(),
    reason: SafeText.min(1).max(80),
    lines: z.array(RefundLine).min(1).max(500).optional(),
    approval: ManagerApproval.optional(),
  })
  .strict()
  .refine((r) => r.amountFen !== undefined || r.lines !== undefined, {
    message: 'a refund names its lines or an amount',
    path: ['lines'],
  })
  .describe('refund request');
export type RefundRequest = z.infer<typeof RefundRequest>;

/**
 * requested: stored, WeChat not answered yet (send the same request again); processing: WeChat
 * accepted it and is paying back; succeeded: the money is back with the customer; closed: WeChat
 * closed it (nothing refunded, the amount can be refunded again); abnormal: WeChat could not pay it
 * back (the customer's account) — a manager settles it offline.
 */
export const RefundPartState = z.enum([
  'requested',
  'processing',
  'succeeded',
  'closed',
  'abnormal',
]);
export type RefundPartState = z.infer<typeof RefundPartState>;

/** What one tender gives back: cash from the drawer, or a WeChat refund to where it came from. */
export const RefundPart = z
  .object({
    kind: z.enum(['cash', 'wechat']),
    amountFen: Fen,
    /** The WeChat payment refunded (null for cash). */
    paymentId: ClientId.nullable(),
    state: RefundPartState,
  })
  .strict();
export type RefundPart = z.infer<typeof RefundPart>;

export const RefundView = z
  .object({
    refundId: ClientId,
    saleId: ClientId,
    amountFen: Fen,
    /** succeeded when every part is; processing while any part waits; else the worst part's. */
    state: RefundPartState,
    parts: z.array(RefundPart),
    saleState: SaleState,
    /** Who approved it (user id) and when. */
    approvedBy: z.string(),
    approvedAt: Instant,
    /**
     * The voucher codes this refund gave back (Batch.returnOnRefund): it completed the sale's
     * refund, so the codes can be used again — the till tells the cashier and prints them
     * (masked, as a sale receipt prints its codes). Read from the redemptions each time, so a
     * replay or a poll of the refund says it too; empty while the refund is not complete.
     */
    returnedVouchers: z.array(VoucherCode).max(50),
  })
  .strict();
export type RefundView = z.infer<typeof RefundView>;

export const ByRefund = z
  .object({ id: ClientId })
  .strict()
  .describe('refund id in the path (the UUID the till gave the refund)');

export const BySale = z
  .object({ id: ClientId })
  .strict()
  .describe('sale id in the path (the UUID the till gave the sale)');

/** promotion_detail: a WeChat voucher (代金券/优惠) the customer used on a payment. */
export const WechatPromotion = z
  .object({
    couponId: z.string(),
    stockId: z.string().nullable(),
    name: z.string().nullable(),
    /** GLOBAL / SINGLE as WeChat says it. */
    scope: z.string().nullable(),
    /** CASH (充值型) / NOCASH (免充值型) as WeChat says it. */
    type: z.string().nullable(),
    amountFen: Fen,
    wechatpayContributeFen: Fen,
    merchantContributeFen: Fen,
    otherContributeFen: Fen,
  })
  .strict();
export type WechatPromotion = z.infer<typeof WechatPromotion>;

export const SaleTenderView = z
  .object({
    kind: z.enum(['cash', 'wechat_native', 'wechat_code']),
    amountFen: Fen,
    paymentId: ClientId.nullable(),
    /** settled (cash), pending, paid, failed. */
    state: z.string(),
    /** WeChat vouchers used on this tender's payment. */
    promotions: z.array(WechatPromotion),
  })
  .strict();

/** A line of a sale as recorded, with what it cost after vouchers and what is left to refund. */
export const SaleLineView = z
  .object({
    lineId: LineId,
    sku: z.string(),
    name: z.string(),
    unitPriceFen: Fen,
    quantity: z.number().int().min(1),
    /** The line's amount less its share of the sale's voucher discount. */
    netFen: Fen,
    refundedQuantity: z.number().int().min(0),
  })
  .strict();
export type SaleLineView = z.infer<typeof SaleLineView>;

/** GET /v1/sales/:id: a sale of this store as it stands now (state, refunds, WeChat vouchers). */
export const SaleView = z
  .object({
    saleId: ClientId,
    state: SaleState,
    /** When the sale was made (as recorded). */
    at: Instant,
    totals: SaleTotals,
    lines: z.array(SaleLineView),
    tenders: z.array(SaleTenderView),
    /** Refunded or being refunded (every refund part not closed). */
    refundedFen: Fen,
    refundableFen: Fen,
  })
  .strict();
export type SaleView = z.infer<typeof SaleView>;
