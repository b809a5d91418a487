import { z } from 'zod';
import { SafeText } from './text';
import {
  BatchId,
  CategoryId,
  DisplayName,
  Instant,
  LineId,
  MemberTier,
  Sku,
  StoreGroupId,
  StoreId,
  TerminalId,
  TimeZone,
  VoucherCode,
} from './ids';
import { Fen } from './money';

/**
 * The voucher model of DESIGN.md "Vouchers and rules". A batch (WeChat calls
 * it a stock) defines a voucher product; codes are its instances.
 */

const Quantity = z.number().int().min(1).max(9_999);

/** What the voucher gives; one variant per WeChat coupon family. */
export const Benefit = z.discriminatedUnion('kind', [
  /** 无门槛现金券: a fixed amount off, no threshold of its own. */
  z.object({ kind: z.literal('cash'), valueFen: Fen }).strict(),
  /** 满减代金券: spend at least thresholdFen on eligible items, get valueFen off (满300减50). */
  z
    .object({ kind: z.literal('threshold'), thresholdFen: Fen, valueFen: Fen })
    .strict()
    .refine((b) => b.valueFen <= b.thresholdFen, {
      message: 'the amount off cannot exceed the threshold',
      path: ['valueFen'],
    }),
  /** 折扣券: percentOffBp basis points off the eligible items (8折 = 2 000 bp), optionally capped. */
  z
    .object({
      kind: z.literal('discount'),
      percentOffBp: z.number().int().min(1).max(10_000),
      capFen: Fen.optional(),
    })
    .strict(),
  /** 礼品券: `quantity` of one named SKU free; the SKU must be in the cart. */
  z.object({ kind: z.literal('gift'), sku: Sku, quantity: Quantity }).strict(),
  /** 团购券: the listed items together at a fixed price; all must be in the cart. */
  z
    .object({
      kind: z.literal('group_buy'),
      items: z
        .array(z.object({ sku: Sku, quantity: Quantity }).strict())
        .min(1)
        .max(20),
      priceFen: Fen,
    })
    .strict(),
  /** 通用优惠券: a fixed amount off usable across categories, subject to the batch's rules. */
  z.object({ kind: z.literal('general'), valueFen: Fen }).strict(),
]);
export type Benefit = z.infer<typeof Benefit>;
export type VoucherKind = Benefit['kind'];

/** When a code may be used. "after_claim": from the claim until the end of day N (store time). */
export const Validity = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('fixed'), from: Instant, until: Instant })
    .strict()
    .refine((v) => Date.parse(v.from) < Date.parse(v.until), {
      message: 'validity must start before it ends',
      path: ['until'],
    }),
  z.object({ type: z.literal('after_claim'), days: z.number().int().min(1).max(3_650) }).strict(),
]);
export type Validity = z.infer<typeof Validity>;

/**
 * A weekly window in store time. Weekdays are ISO (1 = Monday … 7 = Sunday);
 * minutes count from local midnight, end exclusive (0..1440).
 */
export const TimeWindow = z
  .object({
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    startMinute: z.number().int().min(0).max(1_439),
    endMinute: z.number().int().min(1).max(1_440),
  })
  .strict()
  .refine((w) => w.startMinute < w.endMinute, {
    message: 'a window must start before it ends',
    path: ['endMinute'],
  });
export type TimeWindow = z.infer<typeof TimeWindow>;

/** Which stores may redeem: the cross-store rules chain managers configure. */
export const StoreScope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }).strict(),
  z
    .object({
      type: z.literal('listed'),
      storeIds: z.array(StoreId).max(10_000),
      groupIds: z.array(StoreGroupId).max(1_000),
    })
    .strict()
    .refine((s) => s.storeIds.length + s.groupIds.length > 0, {
      message: 'list at least one store or store group',
    }),
]);
export type StoreScope = z.infer<typeof StoreScope>;

/**
 * exclusive: alone in an order. other_kinds: with vouchers of other kinds only.
 * any: with any voucher. Member discounts are a separate switch.
 */
export const Stacking = z.enum(['exclusive', 'other_kinds', 'any']);
export type Stacking = z.infer<typeof Stacking>;

export const BatchState = z.enum(['active', 'paused', 'expired', 'revoked']);
export type BatchState = z.infer<typeof BatchState>;

/** Which cart lines a voucher may discount. Empty lists on both mean every line. */
export const ItemScope = z
  .object({
    skus: z.array(Sku).max(10_000),
    categories: z.array(CategoryId).max(1_000),
  })
  .strict();
export type ItemScope = z.infer<typeof ItemScope>;

export const Batch = z
  .object({
    id: BatchId,
    name: DisplayName,
    benefit: Benefit,
    state: BatchState,
    validity: Validity,
    /** Empty: always valid, whatever the day and hour. */
    windows: z.array(TimeWindow).max(28),
    items: ItemScope,
    /** Minimum eligible subtotal for any kind (threshold kinds also carry their own). */
    minSpendFen: Fen,
    stores: StoreScope,
    /** Empty: every customer, member or not. */
    memberTiers: z.array(MemberTier).max(50),
    stacking: Stacking,
    /** False: refused when the cart already carries a member discount. */
    withMemberDiscount: z.boolean(),
    /** How many codes of this batch one order may use. */
    perOrderLimit: z.number().int().min(1).max(100),
    /** Redemptions per customer per store-day; null is unlimited. */
    perCustomerDailyLimit: z.number().int().min(1).max(10_000).nullable(),
    /** Redemptions of the whole batch per store-day across the chain; null is unlimited. */
    dailyCap: z.number().int().min(1).max(10_000_000).nullable(),
    /**
     * True: a code of this batch used in a sale is given back (usable again) once that sale is
     * refunded in full — every paid tender given back, WeChat's part confirmed SUCCESS. A partial
     * refund keeps it used. Absent in documents older than the setting: not given back.
     */
    returnOnRefund: z.boolean().default(false),
  })
  .strict();
export type Batch = z.infer<typeof Batch>;

export const CartLine = z
  .object({
    lineId: LineId,
    sku: Sku,
    category: CategoryId,
    name: DisplayName,
    unitPriceFen: Fen,
    quantity: Quantity,
  })
  .strict();
export type CartLine = z.infer<typeof CartLine>;

export const Cart = z
  .object({
    lines: z.array(CartLine).max(500),
    /** A member price or member discount already applied to this order. */
    memberDiscountApplied: z.boolean(),
    memberTier: MemberTier.nullable(),
    /** The customer, when known (member card or WeChat openid): for per-customer limits. */
    customerId: SafeText.min(1).max(128).nullable(),
  })
  .strict()
  .refine(
    (c) =>
      c.lines.reduce((sum, l) => sum + l.unitPriceFen * l.quantity, 0) <= Number.MAX_SAFE_INTEGER,
    { message: 'the order total is too large to count exactly', path: ['lines'] },
  );
export type Cart = z.infer<typeof Cart>;

/** What the terminal or server knows of one scanned code when it evaluates it. */
export const Candidate = z
  .object({
    code: VoucherCode,
    batch: Batch,
    /** When the customer claimed it (after_claim validity needs it). */
    claimedAt: Instant.nullable(),
    /** Set when this code is already redeemed (from the server or the local queue). */
    redeemed: z
      .object({ at: Instant, storeId: StoreId, terminalId: TerminalId.optional() })
      .strict()
      .nullable(),
  })
  .strict();
export type Candidate = z.infer<typeof Candidate>;

/** Where and when the evaluation happens. Clock and usage counts are passed in: core has no I/O. */
export const EvaluationContext = z
  .object({
    now: Instant,
    storeId: StoreId,
    /** The groups (regions) this store belongs to. */
    storeGroupIds: z.array(StoreGroupId),
    timeZone: TimeZone,
    /** Redemptions so far today (store time) per batch: chain-wide and by this customer. */
    usageToday: z.record(
      z.string(),
      z.object({ batch: z.number().int().min(0), customer: z.number().int().min(0) }).strict(),
    ),
  })
  .strict();
export type EvaluationContext = z.infer<typeof EvaluationContext>;
