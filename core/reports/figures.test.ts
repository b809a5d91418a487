import { describe, expect, it } from 'vitest';
import type { BatchId, StoreId } from '../ids';
import { fen } from '../money';
import {
  type BatchDay,
  type BatchHour,
  foldRecords,
  type ReportRecord,
  tablesOf,
  type TenderDay,
} from './aggregates';
import {
  byHour,
  claimConversion,
  cycleHistogram,
  funnel,
  lifeToDate,
  medianCycle,
  redemptionRate,
  salesByTender,
  storeDayHeatmap,
  storeDaysOf,
  storeRanking,
  sumCounts,
} from './figures';
import { basisPoints } from './rate';

const B = 'spring' as BatchId;
const S1 = 'store-1' as StoreId;
const S2 = 'store-2' as StoreId;
const S3 = 'store-3' as StoreId;

const day = (storeId: StoreId, date: string, c: Partial<BatchDay>): BatchDay => ({
  batchId: B,
  storeId,
  date,
  ...sumCounts([]),
  ...c,
});

// A hand-made ledger of one batch in two stores over three days.
const LEDGER: BatchDay[] = [
  day(S1, '2026-04-01', {
    views: 400,
    claims: 100,
    redemptions: 10,
    cycle0: 10,
    discountFen: fen(5_000),
  }),
  day(S2, '2026-04-01', { views: 100, claims: 20 }),
  day(S1, '2026-04-02', {
    views: 100,
    claims: 0,
    redemptions: 20,
    cycle1: 20,
    discountFen: fen(10_000),
  }),
  day(S2, '2026-04-03', {
    claims: 0,
    redemptions: 30,
    cycle2: 10,
    cycleOver7: 20,
    discountFen: fen(15_000),
  }),
];

describe('funnel, 领取转化率 and 核销率', () => {
  it('sum views, claims and redemptions over the rows given', () => {
    const f = funnel(sumCounts(LEDGER));
    expect(f).toMatchObject({ views: 600, claims: 120, redemptions: 60, discountFen: 30_000 });
    expect(f.claimConversion).toEqual({ num: 120, den: 600 });
    expect(f.redemptionRate).toEqual({ num: 60, den: 120 });
  });

  it('measure 核销率 over the batch life so far: redemptions to date over claims to date', () => {
    // On Apr 2: 30 redeemed of the 120 claimed on Apr 1 and 2 (not 20 of the 0 claimed on Apr 2).
    const r = redemptionRate(sumCounts(lifeToDate(LEDGER, '2026-04-02')));
    expect(r).toEqual({ num: 30, den: 120 });
    if (r === null) throw new Error('no rate');
    expect(basisPoints(r)).toBe(2500);
  });

  it('have no rate, rather than 0%, without a denominator', () => {
    expect(claimConversion({ views: 0, claims: 0 })).toBeNull();
    expect(redemptionRate({ claims: 0, redemptions: 0 })).toBeNull();
  });
});

describe('核销周期', () => {
  it('draws every bucket, in order, with its share and band', () => {
    const bars = cycleHistogram(sumCounts(LEDGER));
    expect(bars.map((b) => [b.bucket, b.redemptions, b.band])).toEqual([
      ['cycle0', 10, 'healthy'],
      ['cycle1', 20, 'healthy'],
      ['cycle2', 10, 'healthy'],
      ['cycle3', 0, 'healthy'],
      ['cycle4to7', 0, 'middle'],
      ['cycleOver7', 20, 'warning'],
    ]);
    expect(bars[5]?.share).toEqual({ num: 20, den: 60 });
  });

  it('takes the lower median from the buckets', () => {
    // 60 redemptions: the 30th shortest is in the 1-day bucket (10 + 20).
    expect(medianCycle(sumCounts(LEDGER))).toBe('cycle1');
    expect(medianCycle({ ...sumCounts([]), cycle0: 1, cycleOver7: 1 })).toBe('cycle0');
    expect(medianCycle({ ...sumCounts([]), cycle0: 1, cycleOver7: 2 })).toBe('cycleOver7');
    expect(medianCycle(sumCounts([]))).toBeNull();
  });
});

describe('per store', () => {
  it('ranks stores by redemptions, then discount, ties sharing a rank', () => {
    const rows = [...LEDGER, day(S3, '2026-04-01', { redemptions: 30, discountFen: fen(15_000) })];
    expect(
      storeRanking(rows).map((r) => [r.rank, r.storeId, r.redemptions, r.discountFen]),
    ).toEqual([
      [1, S1, 30, 15_000],
      [1, S2, 30, 15_000],
      [1, S3, 30, 15_000],
    ]);
    expect(
      storeRanking([...LEDGER, day(S3, '2026-04-01', { redemptions: 30 })]).map((r) => [
        r.rank,
        r.storeId,
      ]),
    ).toEqual([
      [1, S1],
      [1, S2],
      [3, S3],
    ]);
  });

  it('ranks and maps the same from rows as from their per-store sums; a date twice (two batches) adds up', () => {
    const rows = [...LEDGER, day(S1, '2026-04-01', { redemptions: 5, discountFen: fen(100) })];
    const days = storeDaysOf(rows);
    expect(storeRanking(days)).toEqual(storeRanking(rows));
    expect(storeDayHeatmap(days, [S1], '2026-04-01', '2026-04-01')).toEqual([
      { storeId: S1, date: '2026-04-01', redemptions: 15, discountFen: 5_100 },
    ]);
  });

  it('fills the store × day heatmap with zeros for quiet days', () => {
    const cells = storeDayHeatmap(storeDaysOf(LEDGER), [S2, S1], '2026-04-01', '2026-04-03');
    expect(cells.map((c) => [c.storeId, c.date, c.redemptions, c.discountFen])).toEqual([
      [S2, '2026-04-01', 0, 0],
      [S2, '2026-04-02', 0, 0],
      [S2, '2026-04-03', 30, 15_000],
      [S1, '2026-04-01', 10, 5_000],
      [S1, '2026-04-02', 20, 10_000],
      [S1, '2026-04-03', 0, 0],
    ]);
  });
});

describe('sales per tender', () => {
  it('orders by store, date and tender, nets refunds and may go below zero', () => {
    const t = (
      storeId: StoreId,
      date: string,
      tender: TenderDay['tender'],
      c: Partial<TenderDay>,
    ): TenderDay => ({
      storeId,
      date,
      tender,
      count: 0,
      amountFen: fen(0),
      refunds: 0,
      refundFen: fen(0),
      ...c,
    });
    const lines = salesByTender([
      t(S1, '2026-04-02', 'cash', { refunds: 1, refundFen: fen(800) }),
      t(S1, '2026-04-01', 'voucher', { count: 2, amountFen: fen(1_000) }),
      t(S1, '2026-04-01', 'cash', { count: 3, amountFen: fen(9_000) }),
      t(S1, '2026-04-01', 'cash', { count: 1, amountFen: fen(1_000) }),
    ]);
    expect(lines.map((l) => [l.date, l.tender, l.count, l.amountFen, l.netFen])).toEqual([
      ['2026-04-01', 'cash', 4, 10_000, 10_000],
      ['2026-04-01', 'voucher', 2, 1_000, 1_000],
      ['2026-04-02', 'cash', 0, 0, -800],
    ]);
  });
});

describe('time of day', () => {
  it('gives all 24 hours, summed over stores and days', () => {
    const h = (hour: number, claims: number, redemptions: number): BatchHour => ({
      batchId: B,
      storeId: S1,
      date: '2026-04-01',
      hour,
      claims,
      redemptions,
    });
    const points = byHour([h(9, 2, 0), { ...h(9, 1, 1), storeId: S2 }, h(23, 0, 4)]);
    expect(points).toHaveLength(24);
    expect(points[9]).toEqual({ hour: 9, claims: 3, redemptions: 1 });
    expect(points[23]).toEqual({ hour: 23, claims: 0, redemptions: 4 });
    expect(points[0]).toEqual({ hour: 0, claims: 0, redemptions: 0 });
  });
});

describe('a batch across time zones', () => {
  it('dates a redemption by its own store, so it can fall a day before its claim (not clipped)', () => {
    const claimedAt = Date.parse('2026-02-01T17:00:00Z'); // Feb 2, 01:00 in Shanghai
    const records: ReportRecord[] = [
      { kind: 'claim', batchId: B, storeId: S1, atMs: claimedAt },
      // Ten minutes later in New York, still Feb 1 there.
      {
        kind: 'redemption',
        batchId: B,
        storeId: S2,
        atMs: claimedAt + 600_000,
        claimedAtMs: claimedAt,
        discountFen: fen(100),
      },
    ];
    const zones = (s: StoreId): string => (s === S1 ? 'Asia/Shanghai' : 'America/New_York');
    const { batchDays } = tablesOf(foldRecords(new Map(), records, zones));
    expect(redemptionRate(sumCounts(lifeToDate(batchDays, '2026-02-01')))).toBeNull();
    expect(redemptionRate(sumCounts(lifeToDate(batchDays, '2026-02-02')))).toEqual({
      num: 1,
      den: 1,
    });
  });
});
