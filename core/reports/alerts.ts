import { z } from 'zod';
import type { BatchId } from '../ids';
import type { Locale } from '../messages/format';
import { type CycleBucket } from './aggregates';
import { cycleBucketText } from './labels';
import { addDays, dayNumber, type LocalDate } from './days';
import {
  type BatchCounts,
  type BatchSeries,
  claimConversion,
  medianCycle,
  redemptionRate,
  sumCounts,
} from './figures';
import { basisPoints, isBelow, percentText } from './rate';

const Bp = z.number().int().min(0).max(10_000);

/**
 * The cycle thresholds a median can be compared with exactly: the upper edges of the cycle
 * buckets (a median known only to lie in 4–7 days cannot be said to exceed 5).
 */
const CYCLE_LIMITS = {
  0: 'cycle0',
  1: 'cycle1',
  2: 'cycle2',
  3: 'cycle3',
  7: 'cycle4to7',
} as const;

/** Alert settings (a chain's settings; every field has the default). Rates in basis points. */
export const ReportThresholds = z
  .object({
    /** 核销率 under this (500 = 5%) … */
    lowRedemptionRateBp: Bp.default(500),
    /** … on this many consecutive days raises an alert. */
    lowRedemptionDays: z.number().int().min(1).max(90).default(3),
    /** Median 核销周期 longer than this many days raises an alert. */
    longCycleDays: z
      .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(7)])
      .default(7),
    /** 领取转化率 under this (1500 = 15%) raises an alert and is the warning band. */
    lowClaimConversionBp: Bp.default(1500),
    /** 领取转化率 at or above this (2500 = 25%) is the healthy band. */
    healthyClaimConversionBp: Bp.default(2500),
  })
  .strict();
export type ReportThresholds = z.infer<typeof ReportThresholds>;

export type Alert =
  | {
      readonly code: 'LOW_REDEMPTION_RATE';
      readonly batchId: BatchId;
      /** The first day of the run of low days that ends today (the run may be longer than the setting). */
      readonly since: LocalDate;
      readonly days: number;
      /** Today's life-to-date 核销率, in basis points. */
      readonly rateBp: number;
    }
  | { readonly code: 'LONG_CYCLE'; readonly batchId: BatchId; readonly median: CycleBucket }
  | { readonly code: 'LOW_CLAIM_CONVERSION'; readonly batchId: BatchId; readonly rateBp: number };

/** Healthy, in between, or warning: the band of a claim conversion. */
export function conversionBand(
  c: Pick<BatchCounts, 'views' | 'claims'>,
  t: ReportThresholds,
): 'healthy' | 'middle' | 'warning' | null {
  const r = claimConversion(c);
  if (r === null) return null;
  if (isBelow(r, t.lowClaimConversionBp)) return 'warning';
  return isBelow(r, t.healthyClaimConversionBp) ? 'middle' : 'healthy';
}

/**
 * The alerts a batch raises on `today` (a store-local date; the series' dates are store-local
 * dates too, so a redemption at 2026-03-01T16:30Z counts on 2026-03-02 in Asia/Shanghai).
 * Days after `today` in the series are ignored; every figure is life to date.
 *
 * - LOW_REDEMPTION_RATE: on each of the `lowRedemptionDays` calendar days ending with today
 *   (today included), the batch's 核销率 from its first day up to the end of that day was below
 *   `lowRedemptionRateBp`. Every calendar day counts, with or without records of its own — a
 *   day with no records keeps the rate of the day before, and a rate that stays low on quiet
 *   days is exactly what the alert is for. A day on which the batch has no claims yet has no
 *   rate and breaks the run. Days are consecutive in the calendar (Jan 31 → Feb 1, Feb 28 →
 *   Feb 29 in a leap year, Dec 31 → Jan 1), not consecutive rows.
 * - LONG_CYCLE: the median 核销周期 of every redemption so far is longer than `longCycleDays`.
 * - LOW_CLAIM_CONVERSION: 领取转化率 so far is below `lowClaimConversionBp` (no views: no alert).
 */
export function alertsFor(series: BatchSeries, t: ReportThresholds, today: LocalDate): Alert[] {
  const past = series.days.filter((d) => d.date <= today);
  const sofar = sumCounts(past.map((d) => d.counts));
  const alerts: Alert[] = [];

  const run = lowRateRun(past, t, today);
  const rateToday = redemptionRate(sofar);
  if (run >= t.lowRedemptionDays && rateToday !== null)
    alerts.push({
      code: 'LOW_REDEMPTION_RATE',
      batchId: series.batchId,
      since: addDays(today, 1 - run),
      days: run,
      rateBp: basisPoints(rateToday),
    });

  const median = medianCycle(sofar);
  if (median !== null && slowerThan(median, t.longCycleDays))
    alerts.push({ code: 'LONG_CYCLE', batchId: series.batchId, median });

  const conversion = claimConversion(sofar);
  if (conversion !== null && isBelow(conversion, t.lowClaimConversionBp))
    alerts.push({
      code: 'LOW_CLAIM_CONVERSION',
      batchId: series.batchId,
      rateBp: basisPoints(conversion),
    });

  return alerts;
}

/**
 * How many calendar days, ending with today, the life-to-date rate has been low: the series
 * is walked once from its first day, carrying the counts over days without rows.
 */
function lowRateRun(past: BatchSeries['days'], t: ReportThresholds, today: LocalDate): number {
  const first = past[0];
  if (first === undefined) return 0;
  let claims = 0;
  let redemptions = 0;
  let run = 0;
  let i = 0;
  for (let n = dayNumber(first.date), todayN = dayNumber(today); n <= todayN; n++) {
    const d = past[i];
    if (d !== undefined && dayNumber(d.date) === n) {
      claims += d.counts.claims;
      redemptions += d.counts.redemptions;
      i++;
    }
    const r = redemptionRate({ claims, redemptions });
    run = r !== null && isBelow(r, t.lowRedemptionRateBp) ? run + 1 : 0;
  }
  return run;
}

const BUCKET_ORDER: Readonly<Record<CycleBucket, number>> = {
  cycle0: 0,
  cycle1: 1,
  cycle2: 2,
  cycle3: 3,
  cycle4to7: 4,
  cycleOver7: 5,
};

const slowerThan = (median: CycleBucket, limitDays: keyof typeof CYCLE_LIMITS): boolean =>
  BUCKET_ORDER[median] > BUCKET_ORDER[CYCLE_LIMITS[limitDays]];

/** What an alert tells the manager, and what to look at. */
export function alertMessage(a: Alert, locale: Locale): string {
  switch (a.code) {
    case 'LOW_REDEMPTION_RATE':
      return locale === 'zh-CN'
        ? `批次 ${a.batchId} 自 ${a.since} 起连续 ${a.days} 天核销率偏低（目前 ${percentText(a.rateBp)}）；请检查券的门槛、有效期和适用门店。`
        : `Batch ${a.batchId} has had a low redemption rate for ${a.days} days since ${a.since} (now ${percentText(a.rateBp)}); check its threshold, validity and stores.`;
    case 'LONG_CYCLE':
      return locale === 'zh-CN'
        ? `批次 ${a.batchId} 的核销周期中位数为 ${cycleBucketText(a.median, locale)}；顾客领券后迟迟未用，可考虑提醒或缩短有效期。`
        : `Batch ${a.batchId} has a median redemption cycle of ${cycleBucketText(a.median, locale)}; customers hold their vouchers long — consider a reminder or a shorter validity.`;
    case 'LOW_CLAIM_CONVERSION':
      return locale === 'zh-CN'
        ? `批次 ${a.batchId} 的领取转化率为 ${percentText(a.rateBp)}，低于设定值；请检查领券页面和券面价值。`
        : `Batch ${a.batchId} has a claim conversion of ${percentText(a.rateBp)}, below the setting; check the claim page and the voucher's value.`;
    default:
      throw new Error(`unknown alert ${JSON.stringify(a satisfies never)}`);
  }
}
