import { z } from 'zod';
import { ClientId, Instant, MemberTier, StoreId, TerminalId } from '../ids';
import { Fen } from '../money';
import { Reason } from '../reasons';
import { SafeText } from '../text';
import { Cart } from '../vouchers';

/** Cash handed over: `amountFen` of it pays the sale, the rest (tendered − amount) is change. */
export const CashTender = z
  .object({ kind: z.literal('cash'), amountFen: Fen, tenderedFen: Fen })
  .strict();
export type CashTender = z.infer<typeof CashTender>;

/**
 * A WeChat Pay tender: the payment attempt (its client id) that pays `amountFen`, by the Native
 * QR code on the customer display or by the customer's payment code scanned at the counter.
 */
export const WechatTender = z
  .object({
    kind: z.enum(['wechat_native', 'wechat_code']),
    amountFen: Fen,
    paymentId: ClientId,
  })
  .strict();
export type WechatTender = z.infer<typeof WechatTender>;

export const Tender = z.discriminatedUnion('kind', [CashTender, WechatTender]);
export type Tender = z.infer<typeof Tender>;

/** A sale's figures in fen. Vouchers are the discount; tenders pay what is due. */
export const SaleTotals = z
  .object({
    subtotalFen: Fen,
    discountFen: Fen,
    dueFen: Fen,
    /** What the tenders pay of the amount due (cash counted at its applied amount). */
    paidFen: Fen,
    changeFen: Fen,
  })
  .strict();
export type SaleTotals = z.infer<typeof SaleTotals>;

/**
 * One finished order, written to the till's queue before it is sent and pushed exactly once.
 * `id` is the idempotency key within the terminal. The lines, the vouchers (the redemption
 * records this till made for the order) and the tenders are the till's claim: the server prices
 * the lines from its catalog, takes each voucher's discount from its own redemption record and
 * recomputes the totals; `totals` is compared, never stored as the truth.
 */
export const SaleRequest = z
  .object({
    id: ClientId,
    storeId: StoreId,
    terminalId: TerminalId,
    /** When the cashier finished it (till clock). */
    at: Instant,
    shiftId: ClientId.nullable(),
    cart: Cart,
    redemptionIds: z.array(ClientId).max(50),
    tenders: z.array(Tender).max(10),
    totals: SaleTotals,
    /** Finished while the server could not be reached. */
    offline: z.boolean(),
    /**
     * The earlier sale of this terminal for the same order that the cashier gave up on (its
     * WeChat tender failed or never answered, and another tender took the money). The server
     * voids it in the write that records this one, closes its WeChat orders and moves its
     * vouchers here. Absent from tills that predate it.
     */
    replaces: ClientId.optional(),
    /**
     * The cashier voided the order (整单取消) before any money was taken: it has no tenders, the
     * server records it voided (a void in the shift report, never a sale) and gives back the
     * vouchers redeemed for it. With `replaces`, the given-up WeChat attempt is voided with it.
     * Absent on every other sale.
     */
    voided: z.literal(true).optional(),
  })
  .strict();
export type SaleRequest = z.infer<typeof SaleRequest>;

/**
 * What the server found wrong with a sale it recorded anyway (the customer has left with the
 * goods; the record is kept with the server's figures and these flags for a manager to review).
 */
export const SaleFlag = z.discriminatedUnion('code', [
  z.object({ code: z.literal('LINE_PRICE'), reason: Reason }).strict(),
  z
    .object({
      code: z.literal('TOTAL_DIFFERS'),
      field: z.enum(['subtotalFen', 'discountFen', 'dueFen', 'paidFen', 'changeFen']),
      tillFen: Fen,
      serverFen: Fen,
    })
    .strict(),
  z
    .object({
      code: z.literal('VOUCHER_NOT_ACCEPTED'),
      redemptionId: ClientId,
      /** missing: no such redemption of this till; refused: not accepted; other_sale: already on one. */
      problem: z.enum(['missing', 'refused', 'other_sale']),
    })
    .strict(),
  /**
   * The sale `replaces` names was left as it is: self (the sale names itself), other_terminal
   * (the id is another terminal's sale), paid (it, or one of its WeChat payments, is paid: refund
   * it instead), held (one of its payments waits for a manager), voided (already replaced by
   * another sale).
   */
  z
    .object({
      code: z.literal('REPLACEMENT_REFUSED'),
      saleId: ClientId,
      problem: z.enum(['self', 'other_terminal', 'paid', 'held', 'voided']),
    })
    .strict(),
  z.object({ code: z.literal('UNDERPAID'), dueFen: Fen, paidFen: Fen }).strict(),
  z.object({ code: z.literal('OVERPAID'), dueFen: Fen, paidFen: Fen }).strict(),
  z.object({ code: z.literal('CASH_SHORT'), amountFen: Fen, tenderedFen: Fen }).strict(),
  /**
   * The member the till named: unknown (no such member, or a tier with no member), or of
   * another tier than the till claimed (tier-only vouchers and limits were judged on the claim).
   */
  z
    .object({
      code: z.literal('MEMBER'),
      problem: z.enum(['unknown', 'tier']),
      customerId: SafeText.max(128).nullable(),
      tillTier: MemberTier.nullable(),
      serverTier: MemberTier.nullable(),
    })
    .strict(),
]);
export type SaleFlag = z.infer<typeof SaleFlag>;

/**
 * open: a WeChat tender is not confirmed yet; paid: every tender is; voided: replaced by another
 * sale of the same order (SaleRequest.replaces) or voided by the cashier (SaleRequest.voided),
 * never counted as a sale.
 */
export const SaleState = z.enum(['open', 'paid', 'partly_refunded', 'refunded', 'voided']);
export type SaleState = z.infer<typeof SaleState>;

/** The states of a sale that took its money: a refund, partial or full, does not unpay it. */
export const PAID_SALE_STATES = [
  'paid',
  'partly_refunded',
  'refunded',
] as const satisfies readonly SaleState[];

/** Whether a sale in `state` took its money (refunded since, or not). */
export const wasPaid = (state: string): boolean =>
  (PAID_SALE_STATES as readonly string[]).includes(state);

export const SaleOutcome = z
  .object({
    status: z.literal('recorded'),
    saleId: ClientId,
    storeId: StoreId,
    terminalId: TerminalId,
    state: SaleState,
    /** The server's figures: what the ledger and every report count. */
    totals: SaleTotals,
    flags: z.array(SaleFlag),
    at: Instant,
  })
  .strict();
export type SaleOutcome = z.infer<typeof SaleOutcome>;

export const SaleResponse = z.object({ id: ClientId, outcome: SaleOutcome }).strict();
export type SaleResponse = z.infer<typeof SaleResponse>;

export const MAX_SALES_PUSH = 200;

export const SalesPushRequest = z
  .object({ items: z.array(SaleRequest).min(1).max(MAX_SALES_PUSH) })
  .strict();
export type SalesPushRequest = z.infer<typeof SalesPushRequest>;

export const SalesPushResponse = z.object({ outcomes: z.array(SaleResponse) }).strict();
export type SalesPushResponse = z.infer<typeof SalesPushResponse>;
