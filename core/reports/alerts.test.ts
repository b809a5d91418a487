import { describe, expect, it } from 'vitest';
import type { BatchId, StoreId } from '../ids';
import { fen } from '../money';
import { foldRecords, type ReportRecord, tablesOf } from './aggregates';
import { alertMessage, alertsFor, conversionBand, ReportThresholds } from './alerts';
import { type BatchCounts, batchSeries, type BatchSeries, sumCounts } from './figures';

const B = 'spring' as BatchId;
const DEFAULTS = ReportThresholds.parse({});

/** A series from [date, claims, redemptions] triples, with 100 views a claim day would need. */
function series(days: [string, number, number][], extra: Partial<BatchCounts> = {}): BatchSeries {
  return {
    batchId: B,
    days: days.map(([date, claims, redemptions]) => ({
      date,
      counts: {
        ...sumCounts([]),
        views: claims * 2,
        claims,
        redemptions,
        cycle0: redemptions,
        ...extra,
      },
    })),
  };
}
const codes = (s: BatchSeries, today: string, t = DEFAULTS): string[] =>
  alertsFor(s, t, today).map((a) => a.code);

describe('settings', () => {
  it('default to 5% for 3 days, a 7-day median cycle and 15% claim conversion', () => {
    expect(DEFAULTS).toEqual({
      lowRedemptionRateBp: 500,
      lowRedemptionDays: 3,
      longCycleDays: 7,
      lowClaimConversionBp: 1500,
      healthyClaimConversionBp: 2500,
    });
  });

  it('refuse a cycle limit the buckets cannot decide', () => {
    expect(ReportThresholds.safeParse({ longCycleDays: 5 }).success).toBe(false);
  });
});

describe('low redemption rate for 3 consecutive days', () => {
  it('alerts on the third day under 5%', () => {
    const s = series([
      ['2026-04-01', 100, 1],
      ['2026-04-02', 0, 1],
      ['2026-04-03', 0, 1],
    ]);
    expect(codes(s, '2026-04-02')).toEqual([]);
    expect(alertsFor(s, DEFAULTS, '2026-04-03')).toEqual([
      { code: 'LOW_REDEMPTION_RATE', batchId: B, since: '2026-04-01', days: 3, rateBp: 300 },
    ]);
  });

  it('uses the life-to-date rate, so a good day after bad ones ends the run', () => {
    const s = series([
      ['2026-04-01', 100, 1],
      ['2026-04-02', 0, 1],
      ['2026-04-03', 0, 3], // 5 of 100: exactly 5% is not under 5%
    ]);
    expect(codes(s, '2026-04-03')).toEqual([]);
  });

  it('counts days with no records at the rate carried from the day before', () => {
    const s = series([['2026-04-01', 100, 0]]);
    expect(alertsFor(s, DEFAULTS, '2026-04-03')[0]).toMatchObject({
      since: '2026-04-01',
      days: 3,
      rateBp: 0,
    });
  });

  it('does not count days before the first claim', () => {
    const s = series([
      ['2026-04-01', 0, 0],
      ['2026-04-02', 0, 0],
      ['2026-04-03', 100, 0],
    ]);
    expect(codes(s, '2026-04-04')).toEqual([]);
    expect(codes(s, '2026-04-05')).toEqual(['LOW_REDEMPTION_RATE']);
  });

  it('ignores days after today', () => {
    const s = series([
      ['2026-04-01', 100, 0],
      ['2026-04-04', 0, 50],
    ]);
    expect(codes(s, '2026-04-03')).toEqual(['LOW_REDEMPTION_RATE']);
  });

  it('runs across a month end (Jan 31 → Feb 1)', () => {
    const s = series([['2026-01-30', 100, 0]]);
    expect(codes(s, '2026-01-31')).toEqual([]);
    expect(alertsFor(s, DEFAULTS, '2026-02-01')[0]).toMatchObject({ since: '2026-01-30', days: 3 });
  });

  it('runs across Feb 28 → Mar 1 in a common year and through Feb 29 in a leap year', () => {
    const common = series([['2026-02-27', 100, 0]]);
    expect(alertsFor(common, DEFAULTS, '2026-03-01')[0]).toMatchObject({ days: 3 });
    const leap = series([['2028-02-28', 100, 0]]);
    // 28, 29 are two days; March 1 is the third.
    expect(codes(leap, '2028-02-29')).toEqual([]);
    expect(alertsFor(leap, DEFAULTS, '2028-03-01')[0]).toMatchObject({
      since: '2028-02-28',
      days: 3,
    });
  });

  it('runs across a year end (Dec 31 → Jan 1)', () => {
    const s = series([['2026-12-30', 100, 0]]);
    expect(alertsFor(s, DEFAULTS, '2027-01-01')[0]).toMatchObject({ since: '2026-12-30', days: 3 });
  });

  it('is broken by a day above the threshold inside the window, even when rows skip days', () => {
    const s = series([
      ['2026-01-30', 100, 10],
      ['2026-02-01', 900, 0], // 10 / 1000 = 1% from Feb 1 on; Jan 30 and 31 were at 10%
    ]);
    expect(codes(s, '2026-02-02')).toEqual([]);
    expect(alertsFor(s, DEFAULTS, '2026-02-03')[0]).toMatchObject({ since: '2026-02-01', days: 3 });
  });

  it('follows the days setting', () => {
    const s = series([['2026-04-01', 100, 0]]);
    expect(codes(s, '2026-04-01', { ...DEFAULTS, lowRedemptionDays: 1 })).toEqual([
      'LOW_REDEMPTION_RATE',
    ]);
    expect(codes(s, '2026-04-06', { ...DEFAULTS, lowRedemptionDays: 7 })).toEqual([]);
  });

  it('reads store-local days: a redemption at 2026-03-01T16:30Z is on March 2 in Shanghai', () => {
    const store = 's1' as StoreId;
    const records: ReportRecord[] = [
      // 20 claims on Feb 27 (UTC noon is the same date in both zones).
      ...Array.from({ length: 20 }, (): ReportRecord => ({
        kind: 'claim',
        batchId: B,
        storeId: store,
        atMs: Date.parse('2026-02-27T04:00:00Z'),
      })),
      {
        kind: 'redemption',
        batchId: B,
        storeId: store,
        atMs: Date.parse('2026-03-01T16:30:00Z'),
        claimedAtMs: Date.parse('2026-02-27T04:00:00Z'),
        discountFen: fen(500),
      },
    ];
    const seriesIn = (zone: string): BatchSeries =>
      batchSeries(B, tablesOf(foldRecords(new Map(), records, () => zone)).batchDays);
    // Through Mar 1 the rate is 0 in Shanghai (the redemption is on Mar 2): Feb 27, 28, Mar 1 are low.
    expect(codes(seriesIn('Asia/Shanghai'), '2026-03-01')).toEqual(['LOW_REDEMPTION_RATE']);
    // In UTC the redemption is on Mar 1: 1 of 20 = 5%, not under 5%, so Mar 1 is not low.
    expect(codes(seriesIn('UTC'), '2026-03-01')).toEqual([]);
  });
});

describe('long median cycle', () => {
  it('alerts when more than half the redemptions took over 7 days', () => {
    const base = { views: 100, claims: 100, redemptions: 10 };
    const slow: BatchSeries = {
      batchId: B,
      days: [
        { date: '2026-04-01', counts: { ...sumCounts([]), ...base, cycle1: 4, cycleOver7: 6 } },
      ],
    };
    const even: BatchSeries = {
      batchId: B,
      days: [
        { date: '2026-04-01', counts: { ...sumCounts([]), ...base, cycle1: 5, cycleOver7: 5 } },
      ],
    };
    expect(alertsFor(slow, DEFAULTS, '2026-04-01')).toEqual([
      { code: 'LONG_CYCLE', batchId: B, median: 'cycleOver7' },
    ]);
    expect(codes(even, '2026-04-01')).toEqual([]);
    expect(codes(even, '2026-04-01', { ...DEFAULTS, longCycleDays: 0 })).toEqual(['LONG_CYCLE']);
  });
});

describe('low claim conversion', () => {
  it('alerts under 15% and not at 15%', () => {
    const at = (views: number, claims: number): BatchSeries => ({
      batchId: B,
      days: [
        { date: '2026-04-01', counts: { ...sumCounts([]), views, claims, redemptions: claims } },
      ],
    });
    expect(alertsFor(at(1000, 149), DEFAULTS, '2026-04-01')).toEqual([
      { code: 'LOW_CLAIM_CONVERSION', batchId: B, rateBp: 1490 },
    ]);
    expect(codes(at(1000, 150), '2026-04-01')).toEqual([]);
    expect(codes(at(0, 0), '2026-04-01')).toEqual([]);
  });

  it('bands 25% and more as healthy, under 15% as warning', () => {
    expect(conversionBand({ views: 4, claims: 1 }, DEFAULTS)).toBe('healthy');
    expect(conversionBand({ views: 1000, claims: 249 }, DEFAULTS)).toBe('middle');
    expect(conversionBand({ views: 1000, claims: 149 }, DEFAULTS)).toBe('warning');
    expect(conversionBand({ views: 0, claims: 0 }, DEFAULTS)).toBeNull();
  });
});

describe('alert messages', () => {
  it('exist in zh-CN and English', () => {
    const a = alertsFor(series([['2026-04-01', 100, 1]]), DEFAULTS, '2026-04-03')[0];
    if (a === undefined) throw new Error('no alert');
    expect(alertMessage(a, 'zh-CN')).toBe(
      '批次 spring 自 2026-04-01 起连续 3 天核销率偏低（目前 1.00%）；请检查券的门槛、有效期和适用门店。',
    );
    expect(alertMessage(a, 'en')).toContain(
      'low redemption rate for 3 days since 2026-04-01 (now 1.00%)',
    );
    expect(alertMessage({ code: 'LONG_CYCLE', batchId: B, median: 'cycleOver7' }, 'en')).toContain(
      'over 7 days',
    );
  });
});
