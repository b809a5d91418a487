import { z } from 'zod';
import {
  BatchId,
  DisplayName,
  Instant,
  LineId,
  MemberTier,
  Sku,
  StoreGroupId,
  StoreId,
  TerminalId,
  VoucherCode,
} from './ids';
import { Fen } from './money';
import { TimeWindow } from './vouchers';

/**
 * Why a voucher was refused: a stable code plus the data to explain it. The
 * same union travels in the protocol, is stored on the server and is rendered
 * by core/messages in zh-CN or English. Add a variant and every switch over it
 * stops compiling until the new case has a message.
 */
export const Reason = z.discriminatedUnion('code', [
  // Rules (core evaluate)
  z.object({ code: z.literal('BATCH_PAUSED'), batchId: BatchId }).strict(),
  z.object({ code: z.literal('BATCH_REVOKED'), batchId: BatchId }).strict(),
  z.object({ code: z.literal('NOT_YET_VALID'), from: Instant }).strict(),
  z.object({ code: z.literal('EXPIRED'), at: Instant }).strict(),
  z.object({ code: z.literal('CLAIM_DATE_UNKNOWN') }).strict(),
  z.object({ code: z.literal('OUTSIDE_HOURS'), windows: z.array(TimeWindow) }).strict(),
  z
    .object({
      code: z.literal('WRONG_STORE'),
      storeId: StoreId,
      allowedStores: z.array(StoreId),
      allowedGroups: z.array(StoreGroupId),
    })
    .strict(),
  z
    .object({
      code: z.literal('TIER_REQUIRED'),
      tiers: z.array(MemberTier),
      memberTier: MemberTier.nullable(),
    })
    .strict(),
  z.object({ code: z.literal('NOT_WITH_MEMBER_DISCOUNT') }).strict(),
  z.object({ code: z.literal('NO_ELIGIBLE_ITEMS') }).strict(),
  z.object({ code: z.literal('THRESHOLD_NOT_MET'), required: Fen, eligibleSubtotal: Fen }).strict(),
  z.object({ code: z.literal('GIFT_ITEM_MISSING'), sku: Sku, quantity: z.number().int() }).strict(),
  z
    .object({
      code: z.literal('BUNDLE_INCOMPLETE'),
      missing: z.array(z.object({ sku: Sku, quantity: z.number().int() }).strict()),
    })
    .strict(),
  z.object({ code: z.literal('NOT_STACKABLE'), with: VoucherCode }).strict(),
  z.object({ code: z.literal('PER_ORDER_LIMIT'), limit: z.number().int() }).strict(),
  z.object({ code: z.literal('NOTHING_LEFT_TO_DISCOUNT') }).strict(),
  z.object({ code: z.literal('DUPLICATE_IN_ORDER') }).strict(),
  z.object({ code: z.literal('DAILY_CAP_REACHED'), cap: z.number().int() }).strict(),
  z.object({ code: z.literal('CUSTOMER_DAILY_LIMIT'), limit: z.number().int() }).strict(),
  z
    .object({
      code: z.literal('ALREADY_REDEEMED'),
      at: Instant,
      storeId: StoreId,
      /** The till that redeemed it, when known: "this till redeemed it at 13:15" needs it. */
      terminalId: TerminalId.optional(),
      /** That till's name as its store calls it, when the server knows it. */
      terminalName: DisplayName.optional(),
    })
    .strict(),
  // Codes and lookup (classifier, signatures, server)
  z.object({ code: z.literal('UNKNOWN_CODE') }).strict(),
  z.object({ code: z.literal('FORGED_CODE') }).strict(),
  z.object({ code: z.literal('CODE_VOID') }).strict(),
  // Offline allowance (terminal) and sync (server)
  z
    .object({
      code: z.literal('OFFLINE_ALLOWANCE_EXCEEDED'),
      /** before_lease: dated before the lease it names was issued (the server refuses it). */
      limit: z.enum(['count', 'value', 'expired', 'none', 'before_lease']),
      /** What the lease had left (value limit): the cashier is told how much, not "used up". */
      leftFen: Fen.optional(),
      /** What this voucher needed of it. */
      neededFen: Fen.optional(),
    })
    .strict(),
  z.object({ code: z.literal('NOT_IN_CATALOG') }).strict(),
  /** The till's cart priced a line differently from the server's catalog (online: refused). */
  z
    .object({
      code: z.literal('PRICE_MISMATCH'),
      sku: Sku,
      tillFen: Fen,
      /** null: the SKU is not in the server's catalog at all. */
      catalogFen: Fen.nullable(),
    })
    .strict(),
  /**
   * An offline redemption whose pushed discount differs from what the server's own catalog and
   * rules give: held for a manager; the server's figure is the one stored.
   */
  z.object({ code: z.literal('DISCOUNT_MISMATCH'), claimedFen: Fen, valuedFen: Fen }).strict(),
  /**
   * Settlement of a redemption whose online request went unanswered (POST
   * /v1/redemptions/:id/settle): the till gave up on the request before the
   * server received it, so nothing was redeemed, and a late copy never will be.
   */
  z.object({ code: z.literal('NOT_RECEIVED') }).strict(),
]);
export type Reason = z.infer<typeof Reason>;
export type ReasonCode = Reason['code'];

/** One voucher the evaluation applied, and how its discount spreads over the cart lines. */
export const AppliedVoucher = z
  .object({
    code: VoucherCode,
    batchId: BatchId,
    kind: z.enum(['cash', 'threshold', 'discount', 'gift', 'group_buy', 'general']),
    discountFen: Fen,
    allocations: z.array(z.object({ lineId: LineId, discountFen: Fen }).strict()),
  })
  .strict();
export type AppliedVoucher = z.infer<typeof AppliedVoucher>;

export const RefusedVoucher = z.object({ code: VoucherCode, reason: Reason }).strict();
export type RefusedVoucher = z.infer<typeof RefusedVoucher>;

/** evaluate()'s answer. Lists are sorted by code, so equal inputs give equal output. */
export const Evaluation = z
  .object({
    applied: z.array(AppliedVoucher),
    refused: z.array(RefusedVoucher),
    subtotalFen: Fen,
    discountFen: Fen,
    totalFen: Fen,
  })
  .strict();
export type Evaluation = z.infer<typeof Evaluation>;
