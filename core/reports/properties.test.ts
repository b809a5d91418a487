import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchId, StoreId } from '../ids';
import { fen } from '../money';
import {
  type Aggregates,
  foldRecords,
  mergeAggregates,
  type ReportRecord,
  tablesOf,
} from './aggregates';
import { alertsFor, ReportThresholds } from './alerts';
import { addDays, dateRange } from './days';
import {
  batchSeries,
  claimConversion,
  cycleHistogram,
  lifeToDate,
  redemptionRate,
  sumCounts,
} from './figures';
import { basisPoints, isBelow } from './rate';

/**
 * Invariants of the aggregates and figures over generated ledgers. Each voucher is viewed, maybe
 * claimed a little later and maybe redeemed later still, so a ledger is always consistent.
 */

const RUNS = { numRuns: 200 };
const BATCHES = ['spring', 'summer'] as BatchId[];
const STORES = ['s1', 's2', 's3'] as StoreId[];
const ZONES: Record<string, string> = { s1: 'Asia/Shanghai', s2: 'UTC', s3: 'America/New_York' };
const zoneOf = (s: StoreId): string => ZONES[s] ?? 'UTC';
// Late January to early March 2026: month ends, and the US change to summer time on Mar 8.
const START = Date.parse('2026-01-25T00:00:00Z');
const SPAN = 45 * 86_400_000;
const HOUR = 3_600_000;

const arbVoucher = fc.record({
  batch: fc.constantFrom(...BATCHES),
  viewStore: fc.constantFrom(...STORES),
  redeemStore: fc.constantFrom(...STORES),
  viewedAt: fc.integer({ min: START, max: START + SPAN }),
  claimAfter: fc.option(fc.integer({ min: 0, max: 2 * HOUR })),
  redeemAfter: fc.option(fc.integer({ min: 0, max: 12 * 24 * HOUR })),
  discount: fc.integer({ min: 0, max: 10_000 }),
  sale: fc.boolean(),
});

type Voucher = typeof arbVoucher extends fc.Arbitrary<infer T> ? T : never;

function recordsOf(v: Voucher): ReportRecord[] {
  const out: ReportRecord[] = [
    { kind: 'view', batchId: v.batch, storeId: v.viewStore, atMs: v.viewedAt },
  ];
  if (v.claimAfter === null) return out;
  // Claims and views are on the claim page, in the same store's zone, so a claim is dated with its view.
  const claimedAt = v.viewedAt + v.claimAfter;
  out.push({ kind: 'claim', batchId: v.batch, storeId: v.viewStore, atMs: claimedAt });
  if (v.redeemAfter === null) return out;
  const redeemedAt = claimedAt + v.redeemAfter;
  const discountFen = fen(v.discount);
  out.push({
    kind: 'redemption',
    batchId: v.batch,
    storeId: v.redeemStore,
    atMs: redeemedAt,
    claimedAtMs: claimedAt,
    discountFen,
  });
  if (v.sale)
    out.push({
      kind: 'sale',
      storeId: v.redeemStore,
      atMs: redeemedAt,
      subtotalFen: fen(v.discount + 1_000),
      tenders: [{ kind: 'cash', amountFen: fen(1_000) }],
      vouchers: [{ batchId: v.batch, discountFen }],
    });
  return out;
}

const arbLedger = fc.array(arbVoucher, { maxLength: 40 }).map((vs) => vs.flatMap(recordsOf));

const sorted = (a: Aggregates): [string, unknown][] =>
  [...a].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));

describe('aggregates', () => {
  it('folding records one by one equals folding them in bulk', () => {
    fc.assert(
      fc.property(arbLedger, (records) => {
        let one: Aggregates = new Map();
        for (const r of records) one = foldRecords(one, [r], zoneOf);
        expect(sorted(one)).toEqual(sorted(foldRecords(new Map(), records, zoneOf)));
      }),
      RUNS,
    );
  });

  it('merging in any order, and in any split, gives the same aggregates', () => {
    fc.assert(
      fc.property(
        arbLedger.chain((rs) =>
          fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length }), fc.nat()),
        ),
        ([records, shuffled, cut]) => {
          const whole = foldRecords(new Map(), records, zoneOf);
          expect(sorted(foldRecords(new Map(), shuffled, zoneOf))).toEqual(sorted(whole));
          const at = records.length === 0 ? 0 : cut % records.length;
          const left = foldRecords(new Map(), records.slice(0, at), zoneOf);
          const right = foldRecords(new Map(), records.slice(at), zoneOf);
          expect(sorted(mergeAggregates(right, left.values()))).toEqual(sorted(whole));
        },
      ),
      RUNS,
    );
  });
});

describe('figures', () => {
  // One zone for every store: across zones a redemption just after the claim can fall on the
  // day before it (see redemptionRate).
  it('keep 领取转化率 and life-to-date 核销率 between 0 and 1 on every day, in one zone', () => {
    fc.assert(
      fc.property(arbLedger, (records) => {
        const { batchDays } = tablesOf(foldRecords(new Map(), records, () => 'Asia/Shanghai'));
        for (const batchId of BATCHES) {
          const rows = batchDays.filter((r) => r.batchId === batchId);
          for (const date of dateRange('2026-01-24', '2026-03-20')) {
            const c = sumCounts(lifeToDate(rows, date));
            for (const r of [claimConversion(c), redemptionRate(c)])
              if (r !== null) {
                expect(r.num).toBeGreaterThanOrEqual(0);
                expect(r.num).toBeLessThanOrEqual(r.den);
                expect(basisPoints(r)).toBeLessThanOrEqual(10_000);
              }
          }
        }
      }),
      RUNS,
    );
  });

  it('count every redemption in exactly one cycle bucket', () => {
    fc.assert(
      fc.property(arbLedger, (records) => {
        const c = sumCounts(tablesOf(foldRecords(new Map(), records, zoneOf)).batchDays);
        const bars = cycleHistogram(c);
        expect(bars.reduce((s, b) => s + b.redemptions, 0)).toBe(c.redemptions);
        expect(c.redemptions).toBe(records.filter((r) => r.kind === 'redemption').length);
      }),
      RUNS,
    );
  });
});

describe('the low-rate alert', () => {
  const t = ReportThresholds.parse({ lowRedemptionRateBp: 2000 });

  it('fires exactly when each of the last N days, recomputed from the rows, is low', () => {
    fc.assert(
      fc.property(arbLedger, fc.integer({ min: 0, max: 50 }), (records, offset) => {
        const today = addDays('2026-01-24', offset);
        const { batchDays } = tablesOf(foldRecords(new Map(), records, zoneOf));
        for (const batchId of BATCHES) {
          const rows = batchDays.filter((r) => r.batchId === batchId);
          const lowOn = (date: string): boolean => {
            const r = redemptionRate(sumCounts(lifeToDate(rows, date)));
            return r !== null && isBelow(r, t.lowRedemptionRateBp);
          };
          const expected = Array.from({ length: t.lowRedemptionDays }, (_, i) =>
            addDays(today, -i),
          ).every(lowOn);
          const fired = alertsFor(batchSeries(batchId, rows), t, today).some(
            (a) => a.code === 'LOW_REDEMPTION_RATE',
          );
          expect(fired).toBe(expected);
        }
      }),
      RUNS,
    );
  });
});
