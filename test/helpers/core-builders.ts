/**
 * Builders for the voucher domain: plain-data batches, carts, candidates and
 * contexts with sensible defaults, validated with core's zod schemas so a test
 * that builds nonsense fails at the builder, not deep inside a rule. Plus
 * fast-check arbitraries over the same shapes for property tests.
 *
 * Defaults: an active cash batch worth ¥10 valid all of 2026, any store, any
 * time, every item, stackable with anything; a store "S1" in group "EAST" at
 * 2026-06-15 12:00 Shanghai time (a Monday).
 */
import fc from 'fast-check';
import type { z } from 'zod';
import {
  BatchId,
  CategoryId,
  LineId,
  MemberTier,
  Sku,
  StoreGroupId,
  StoreId,
  VoucherCode,
} from '../../core/ids';
import { type Fen, parseYuan } from '../../core/money';
import {
  Batch,
  type Benefit,
  type ItemScope,
  Candidate,
  Cart,
  CartLine,
  EvaluationContext,
  type Stacking,
  type StoreScope,
  type TimeWindow,
  type Validity,
} from '../../core/vouchers';

/** "299.99" → 29999 fen; throws on bad text (test data is trusted). */
export function yuanText(text: string): Fen {
  const r = parseYuan(text);
  if (!r.ok) throw new Error(`bad amount in a test: ${r.message}`);
  return r.value;
}

export const sku = (s: string): Sku => Sku.parse(s);
export const category = (s: string): CategoryId => CategoryId.parse(s);
export const storeId = (s: string): StoreId => StoreId.parse(s);
export const groupId = (s: string): StoreGroupId => StoreGroupId.parse(s);
export const tier = (s: string): MemberTier => MemberTier.parse(s);
export const code = (s: string): VoucherCode => VoucherCode.parse(s);
export const batchId = (s: string): BatchId => BatchId.parse(s);

/** Plain strings and numbers: the builder parses them into branded values. */
type BatchInput = Partial<z.input<typeof Batch>>;

export function aBatch(overrides: BatchInput = {}): Batch {
  return Batch.parse({
    id: 'B-CASH-10',
    name: 'Test batch',
    benefit: { kind: 'cash', valueFen: 1_000 },
    state: 'active',
    validity: {
      type: 'fixed',
      from: '2026-01-01T00:00:00+08:00',
      until: '2027-01-01T00:00:00+08:00',
    },
    windows: [],
    items: { skus: [], categories: [] },
    minSpendFen: 0,
    stores: { type: 'all' },
    memberTiers: [],
    stacking: 'any',
    withMemberDiscount: true,
    perOrderLimit: 1,
    perCustomerDailyLimit: null,
    dailyCap: null,
    returnOnRefund: false,
    ...overrides,
  });
}

type LineInput = {
  lineId?: string;
  sku?: string;
  category?: string;
  name?: string;
  unitPriceFen?: number;
  quantity?: number;
};

let lineCounter = 0;

/** A cart line; lineId defaults to a fresh "L001", "L002"… */
export function aLine(overrides: LineInput = {}): CartLine {
  lineCounter += 1;
  return CartLine.parse({
    lineId: `L${String(lineCounter).padStart(3, '0')}`,
    sku: 'SKU-TEA',
    category: 'drinks',
    name: 'Jasmine tea',
    unitPriceFen: 1_000,
    quantity: 1,
    ...overrides,
  });
}

export function aCart(
  lines: readonly CartLine[],
  overrides: {
    memberDiscountApplied?: boolean;
    memberTier?: string | null;
    customerId?: string | null;
  } = {},
): Cart {
  return Cart.parse({
    lines,
    memberDiscountApplied: false,
    memberTier: null,
    customerId: null,
    ...overrides,
  });
}

/** A cart of one line priced at the given yuan text, e.g. aCartOf('299.99'). */
export const aCartOf = (amount: string): Cart =>
  aCart([aLine({ lineId: 'L1', unitPriceFen: yuanText(amount) })]);

export function aCandidate(
  voucherCode: string,
  batch: Batch = aBatch(),
  overrides: { claimedAt?: string | null; redeemed?: { at: string; storeId: string } | null } = {},
): Candidate {
  return Candidate.parse({
    code: voucherCode,
    batch,
    claimedAt: null,
    redeemed: null,
    ...overrides,
  });
}

type ContextInput = Omit<Partial<EvaluationContext>, 'storeId' | 'storeGroupIds'> & {
  storeId?: string;
  storeGroupIds?: string[];
};

export function aContext(overrides: ContextInput = {}): EvaluationContext {
  return EvaluationContext.parse({
    now: '2026-06-15T04:00:00.000Z',
    storeId: 'S1',
    storeGroupIds: ['EAST'],
    timeZone: 'Asia/Shanghai',
    usageToday: {},
    ...overrides,
  });
}

// ---------------------------------------------------------------------------
// fast-check arbitraries. Small pools of SKUs, categories, stores, groups and
// tiers, so generated vouchers and carts actually meet each other.

export const SKUS = ['SKU-A', 'SKU-B', 'SKU-C', 'SKU-D', 'SKU-E'] as const;
export const CATEGORIES = ['food', 'drinks', 'gifts'] as const;
export const STORES = ['S1', 'S2', 'S3'] as const;
export const GROUPS = ['EAST', 'WEST'] as const;
export const TIERS = ['silver', 'gold'] as const;

/** The evaluation instants generated contexts use: around mid-2026. */
const NOW_MIN = Date.parse('2026-06-01T00:00:00Z');
const NOW_MAX = Date.parse('2026-07-01T00:00:00Z');
const DAY = 86_400_000;

const iso = (ms: number): string => new Date(ms).toISOString();
const instantNear = fc.integer({ min: NOW_MIN - 40 * DAY, max: NOW_MAX + 40 * DAY }).map(iso);

export const arbFen = (max = 50_000): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(0, 1, 99, 100, 5_000, 30_000));

export const arbLine: fc.Arbitrary<Omit<CartLine, 'lineId'>> = fc.record({
  sku: fc.constantFrom(...SKUS).map(sku),
  category: fc.constantFrom(...CATEGORIES).map(category),
  name: fc.constant('Item'),
  unitPriceFen: arbFen(20_000).map((n) => n as Fen),
  quantity: fc.integer({ min: 1, max: 4 }),
});

export const arbCart: fc.Arbitrary<Cart> = fc
  .record({
    lines: fc.array(arbLine, { minLength: 0, maxLength: 8 }),
    memberDiscountApplied: fc.boolean(),
    memberTier: fc.option(fc.constantFrom(...TIERS).map(tier), { nil: null }),
    customerId: fc.option(fc.constant('C-1'), { nil: null }),
  })
  .map(({ lines, ...rest }) => ({
    ...rest,
    lines: lines.map((l, i) => ({ ...l, lineId: LineId.parse(`L${String(i).padStart(2, '0')}`) })),
  }));

export const arbBenefit: fc.Arbitrary<Benefit> = fc.oneof(
  arbFen(20_000).map((v) => ({ kind: 'cash' as const, valueFen: v as Fen })),
  fc.tuple(arbFen(40_000), arbFen(20_000)).map(([a, b]) => ({
    kind: 'threshold' as const,
    thresholdFen: Math.max(a, b) as Fen,
    valueFen: Math.min(a, b) as Fen,
  })),
  fc.record({
    kind: fc.constant('discount' as const),
    percentOffBp: fc.oneof(
      fc.integer({ min: 1, max: 10_000 }),
      fc.constantFrom(2_000, 5_000, 10_000),
    ),
  }),
  fc.record({
    kind: fc.constant('discount' as const),
    percentOffBp: fc.integer({ min: 1, max: 10_000 }),
    capFen: arbFen(10_000).map((v) => v as Fen),
  }),
  fc.record({
    kind: fc.constant('gift' as const),
    sku: fc.constantFrom(...SKUS).map(sku),
    quantity: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('group_buy' as const),
    items: fc.array(
      fc.record({
        sku: fc.constantFrom(...SKUS).map(sku),
        quantity: fc.integer({ min: 1, max: 2 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    priceFen: arbFen(30_000).map((v) => v as Fen),
  }),
  arbFen(20_000).map((v) => ({ kind: 'general' as const, valueFen: v as Fen })),
);

/** Mostly `common`, sometimes `rare`: generated vouchers should usually pass the rules they do not test. */
const mostly = <T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: common, weight: 5 }, { arbitrary: rare, weight: 1 });

const arbValidity: fc.Arbitrary<Validity> = mostly(
  fc.constantFrom<Validity>(
    { type: 'fixed', from: '2026-01-01T00:00:00+08:00', until: '2027-01-01T00:00:00+08:00' },
    { type: 'after_claim', days: 30 },
  ),
  fc.oneof(
    fc.tuple(instantNear, fc.integer({ min: 1, max: 60 * DAY })).map(([from, length]) => ({
      type: 'fixed' as const,
      from,
      until: iso(Date.parse(from) + length),
    })),
    fc.integer({ min: 1, max: 30 }).map((days) => ({ type: 'after_claim' as const, days })),
  ),
);

const arbWindow: fc.Arbitrary<TimeWindow> = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    fc.integer({ min: 0, max: 1_439 }),
    fc.integer({ min: 1, max: 1_440 }),
  )
  .filter(([, a, b]) => a < b)
  .map(([weekdays, startMinute, endMinute]) => ({ weekdays, startMinute, endMinute }));

const arbStoreScope: fc.Arbitrary<StoreScope> = mostly(
  fc.constant<StoreScope>({ type: 'all' }),
  fc
    .record({
      storeIds: fc.subarray([...STORES]).map((s) => s.map(storeId)),
      groupIds: fc.subarray([...GROUPS]).map((g) => g.map(groupId)),
    })
    .filter((s) => s.storeIds.length + s.groupIds.length > 0)
    .map((s) => ({ type: 'listed' as const, ...s })),
);

const never = <T>(value: T): fc.Arbitrary<T> => fc.constant(value);

export const arbBatch: fc.Arbitrary<Batch> = fc.record({
  id: fc.constantFrom('B1', 'B2', 'B3', 'B4', 'B5', 'B6').map(batchId),
  name: fc.constant('Generated batch'),
  benefit: arbBenefit,
  state: mostly(never('active' as const), fc.constantFrom('paused', 'expired', 'revoked')),
  validity: arbValidity,
  windows: mostly(never<TimeWindow[]>([]), fc.array(arbWindow, { minLength: 1, maxLength: 2 })),
  items: fc.oneof(
    fc.constant<ItemScope>({ skus: [], categories: [] }),
    fc.record({
      skus: fc.subarray([...SKUS]).map((s) => s.map(sku)),
      categories: fc.subarray([...CATEGORIES]).map((c) => c.map(category)),
    }),
  ),
  minSpendFen: mostly(never(0), arbFen(40_000)).map((v) => v as Fen),
  stores: arbStoreScope,
  memberTiers: mostly(
    never<MemberTier[]>([]),
    fc.subarray([...TIERS], { minLength: 1 }).map((t) => t.map(tier)),
  ),
  stacking: fc.constantFrom<Stacking>('exclusive', 'other_kinds', 'any', 'any'),
  withMemberDiscount: mostly(never(true), never(false)),
  perOrderLimit: fc.integer({ min: 1, max: 3 }),
  perCustomerDailyLimit: mostly(never(null), fc.integer({ min: 1, max: 3 })),
  dailyCap: mostly(never(null), fc.integer({ min: 1, max: 5 })),
  returnOnRefund: fc.boolean(),
});

const arbClaim = fc.integer({ min: NOW_MIN - 10 * DAY, max: NOW_MIN + 10 * DAY }).map(iso);

export const arbCandidate: fc.Arbitrary<Candidate> = fc.record({
  code: fc.stringMatching(/^[A-F0-9]{4,6}$/).map(code),
  batch: arbBatch,
  claimedAt: mostly(arbClaim, never(null)),
  redeemed: mostly(
    never(null),
    fc.record({ at: instantNear, storeId: fc.constantFrom(...STORES).map(storeId) }),
  ),
});

/** Several candidates; codes may repeat (a code scanned twice) but rarely. */
export const arbCandidates: fc.Arbitrary<Candidate[]> = fc.array(arbCandidate, {
  minLength: 0,
  maxLength: 6,
});

export const arbContext: fc.Arbitrary<EvaluationContext> = fc.record({
  now: fc.integer({ min: NOW_MIN, max: NOW_MAX }).map(iso),
  storeId: fc.constantFrom(...STORES).map(storeId),
  storeGroupIds: fc.subarray([...GROUPS]).map((g) => g.map(groupId)),
  timeZone: fc.constantFrom('Asia/Shanghai', 'Asia/Shanghai', 'Europe/London', 'America/New_York'),
  usageToday: fc.dictionary(
    fc.constantFrom('B1', 'B2', 'B3', 'B4', 'B5', 'B6'),
    fc.record({ batch: fc.integer({ min: 0, max: 6 }), customer: fc.integer({ min: 0, max: 2 }) }),
  ),
});
