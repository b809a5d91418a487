import type { BatchId, StoreId } from '../ids';
import { addFen, fen, type Fen } from '../money';
import {
  addBatchCountsInto,
  type Mutable,
  type BatchCounts,
  type BatchDay,
  type BatchHour,
  CYCLE_BUCKETS,
  type CycleBucket,
  type TenderDay,
  type TenderKind,
  ZERO_BATCH_COUNTS,
} from './aggregates';
import { dateRange, type LocalDate } from './days';
import { type Rate, rateOf } from './rate';

/**
 * Every report figure, defined once (DESIGN.md "Manager console and reports"). Each takes the
 * daily aggregate rows the caller selected (one batch, one store, a date range) and returns
 * plain data; the chart and the CSV (table.ts) both read these results, never the rows.
 */

export type { BatchCounts };

export function sumCounts(rows: Iterable<BatchCounts>): BatchCounts {
  // One accumulator added into, not a new object per row: a heatmap sums 45,000 rows.
  const sum: Mutable<BatchCounts> = { ...ZERO_BATCH_COUNTS };
  for (const r of rows) addBatchCountsInto(sum, r);
  return sum;
}

/** Views → claims → redemptions of the rows given, with the discount and the voucher sales. */
export interface Funnel {
  readonly views: number;
  readonly claims: number;
  readonly redemptions: number;
  readonly discountFen: Fen;
  readonly voucherSales: number;
  readonly voucherSalesFen: Fen;
  /** 领取转化率: claims / views. */
  readonly claimConversion: Rate | null;
  /** 核销率: redemptions / claims. */
  readonly redemptionRate: Rate | null;
}

export function funnel(c: BatchCounts): Funnel {
  return {
    views: c.views,
    claims: c.claims,
    redemptions: c.redemptions,
    discountFen: c.discountFen,
    voucherSales: c.voucherSales,
    voucherSalesFen: c.voucherSalesFen,
    claimConversion: claimConversion(c),
    redemptionRate: redemptionRate(c),
  };
}

/**
 * 领取转化率 = claims / claim-page views over the same rows; null with no views. Every claim is
 * made on the claim page after a view, so over any set of whole days it lies in [0, 1].
 */
export const claimConversion = (c: Pick<BatchCounts, 'views' | 'claims'>): Rate | null =>
  rateOf(c.claims, c.views);

/**
 * 核销率 = redemptions / claims, both counted over the same rows; null with no claims.
 *
 * The report and the alerts pass the batch's life so far (every row of the batch up to and
 * including the day asked about: see lifeToDate), so the rate reads "of the vouchers claimed
 * so far, this share has been used", and as every redemption follows its claim it lies in
 * [0, 1] — when the batch's stores share one time zone. Days are store-local, so a voucher
 * claimed in Shanghai and redeemed minutes later in a store on New York time is dated a day
 * before its claim; the rate is then shown as it is (it may pass 100% on that day), not
 * clipped. It is not a per-day ratio: a day's redemptions mostly come from earlier days' claims,
 * so redemptions(day) / claims(day) would swing above 100% on quiet claim days.
 */
export const redemptionRate = (c: Pick<BatchCounts, 'claims' | 'redemptions'>): Rate | null =>
  rateOf(c.redemptions, c.claims);

/** The rows dated on or before `asOf`: the batch's life so far on that day. */
export const lifeToDate = <T extends { readonly date: LocalDate }>(
  rows: readonly T[],
  asOf: LocalDate,
): T[] => rows.filter((r) => r.date <= asOf);

/** ≤ 3 days healthy, 4–7 days in between, > 7 days warning (the bands). */
export type CycleBand = 'healthy' | 'middle' | 'warning';

const BAND: Readonly<Record<CycleBucket, CycleBand>> = {
  cycle0: 'healthy',
  cycle1: 'healthy',
  cycle2: 'healthy',
  cycle3: 'healthy',
  cycle4to7: 'middle',
  cycleOver7: 'warning',
};

export interface CycleBar {
  readonly bucket: CycleBucket;
  readonly redemptions: number;
  /** This bucket's share of all redemptions counted. */
  readonly share: Rate | null;
  readonly band: CycleBand;
}

/** 核销周期 histogram: one bar per bucket, in order, empty buckets included. */
export function cycleHistogram(c: BatchCounts): CycleBar[] {
  return CYCLE_BUCKETS.map((bucket) => ({
    bucket,
    redemptions: c[bucket],
    share: rateOf(c[bucket], c.redemptions),
    band: BAND[bucket],
  }));
}

/**
 * The bucket holding the median cycle, or null with no redemptions. With n redemptions the
 * median is the ⌈n/2⌉-th shortest (the lower median, so an even split between 3 and 8 days
 * reads 3: an alert needs more than half the vouchers to be slow). Buckets are walked in
 * order until they hold ⌈n/2⌉ redemptions; the answer is exact as a bucket, so "median > 7
 * days" is exact too.
 */
export function medianCycle(c: BatchCounts): CycleBucket | null {
  const n = CYCLE_BUCKETS.reduce((s, b) => s + c[b], 0);
  if (n === 0) return null;
  const rank = Math.ceil(n / 2);
  let seen = 0;
  for (const b of CYCLE_BUCKETS) {
    seen += c[b];
    if (seen >= rank) return b;
  }
  return 'cycleOver7';
}

export interface StoreRank {
  /** Competition ranking: stores equal on redemptions and discount share a rank (1, 1, 3). */
  readonly rank: number;
  readonly storeId: StoreId;
  readonly redemptions: number;
  readonly discountFen: Fen;
  readonly voucherSales: number;
  readonly voucherSalesFen: Fen;
}

/** What a store's ranking counts: a BatchDay row is one, and so is a StoreDays. */
export type StoreTotals = Pick<
  BatchDay,
  'storeId' | 'redemptions' | 'discountFen' | 'voucherSales' | 'voucherSalesFen'
>;

/** Adds `r`'s ranking counters into `sum` in place (its store is the sum's). */
function addStoreTotalsInto(sum: Mutable<StoreTotals>, r: StoreTotals): void {
  sum.redemptions += r.redemptions;
  sum.discountFen = addFen(sum.discountFen, r.discountFen);
  sum.voucherSales += r.voucherSales;
  sum.voucherSalesFen = addFen(sum.voucherSalesFen, r.voucherSalesFen);
}

/** No store counted yet: the running total a store's rows are added into. */
const emptyTotals = (storeId: StoreId): Mutable<StoreTotals> => ({
  storeId,
  redemptions: 0,
  discountFen: fen(0),
  voucherSales: 0,
  voucherSalesFen: fen(0),
});

/**
 * Stores ranked by redemptions made there, then by discount given, then by id (for a stable
 * order). No per-store 核销率: a store redeems vouchers claimed anywhere, so its redemptions over
 * its own claims is not a share of anything.
 */
export function storeRanking(rows: readonly StoreTotals[]): StoreRank[] {
  const byStore = new Map<StoreId, Mutable<StoreTotals>>();
  for (const r of rows) {
    let s = byStore.get(r.storeId);
    if (s === undefined) {
      s = emptyTotals(r.storeId);
      byStore.set(r.storeId, s);
    }
    addStoreTotalsInto(s, r);
  }
  const stores = [...byStore.values()];
  stores.sort(
    (a, b) =>
      b.redemptions - a.redemptions ||
      b.discountFen - a.discountFen ||
      (a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : 0),
  );
  const out: StoreRank[] = [];
  stores.forEach((s, i) => {
    const prev = out[i - 1];
    const tied =
      prev !== undefined &&
      prev.redemptions === s.redemptions &&
      prev.discountFen === s.discountFen;
    out.push({ rank: tied ? prev.rank : i + 1, ...s });
  });
  return out;
}

export interface HeatCell {
  readonly storeId: StoreId;
  readonly date: LocalDate;
  readonly redemptions: number;
  readonly discountFen: Fen;
}

/**
 * One store's days of a range in one value: the dates it has counts for, with that date's
 * redemptions and discount at the same position (a date may come more than once: its counts
 * add up), and its totals over the range (what the ranking needs). The database sums a
 * 500-store, 90-day heatmap into 500 of these, not 45,000 rows of objects.
 */
export interface StoreDays extends StoreTotals {
  readonly dates: readonly LocalDate[];
  readonly dayRedemptions: readonly number[];
  readonly dayDiscountFen: readonly Fen[];
}

/** A StoreDays being summed: its totals and lists written in place. */
type StoreDaysSum = Mutable<StoreTotals> & {
  dates: LocalDate[];
  dayRedemptions: number[];
  dayDiscountFen: Fen[];
};

/** Rows summed per store (what the database's read does): the definition, for any rows. */
export function storeDaysOf(rows: readonly BatchDay[]): StoreDays[] {
  const byStore = new Map<StoreId, StoreDaysSum>();
  for (const r of rows) {
    let s = byStore.get(r.storeId);
    if (s === undefined) {
      s = { ...emptyTotals(r.storeId), dates: [], dayRedemptions: [], dayDiscountFen: [] };
      byStore.set(r.storeId, s);
    }
    addStoreTotalsInto(s, r);
    s.dates.push(r.date);
    s.dayRedemptions.push(r.redemptions);
    s.dayDiscountFen.push(r.discountFen);
  }
  return [...byStore.values()];
}

/**
 * Store × day heatmap: a cell for every store given and every date from `from` to `to`
 * (zeros included, so a quiet day is visible), stores in the order given, dates ascending.
 * Other stores and dates are left out.
 */
export function storeDayHeatmap(
  days: readonly StoreDays[],
  stores: readonly StoreId[],
  from: LocalDate,
  to: LocalDate,
): HeatCell[] {
  const dates = dateRange(from, to);
  // Cells by store then date position, filled in place: no key strings, no object per row.
  const storeAt = new Map(stores.map((id, i) => [id, i]));
  const dateAt = new Map(dates.map((d, i) => [d, i]));
  const redemptions = new Array<number>(stores.length * dates.length).fill(0);
  const discount = new Array<number>(stores.length * dates.length).fill(0);
  for (const store of days) {
    const s = storeAt.get(store.storeId);
    if (s === undefined) continue;
    store.dates.forEach((date, i) => {
      const d = dateAt.get(date);
      if (d === undefined) return;
      const at = s * dates.length + d;
      redemptions[at] = (redemptions[at] ?? 0) + (store.dayRedemptions[i] ?? 0);
      discount[at] = (discount[at] ?? 0) + (store.dayDiscountFen[i] ?? 0);
    });
  }
  const cells: HeatCell[] = [];
  stores.forEach((storeId, s) => {
    dates.forEach((date, d) => {
      const at = s * dates.length + d;
      cells.push({
        storeId,
        date,
        redemptions: redemptions[at] ?? 0,
        discountFen: fen(discount[at] ?? 0),
      });
    });
  });
  return cells;
}

const TENDER_ORDER: readonly TenderKind[] = ['cash', 'wechat_native', 'wechat_code', 'voucher'];

export interface TenderLine {
  readonly storeId: StoreId;
  readonly date: LocalDate;
  readonly tender: TenderKind;
  readonly count: number;
  readonly amountFen: Fen;
  readonly refunds: number;
  readonly refundFen: Fen;
  /** amount − refunds, in signed fen (a day of refunds for earlier sales goes below zero). */
  readonly netFen: number;
}

/** Sales per store per day per tender, with that day's refunds; by store, date, then tender. */
export function salesByTender(rows: readonly TenderDay[]): TenderLine[] {
  const merged = new Map<string, TenderDay>();
  for (const r of rows) {
    const k = `${r.storeId}|${r.date}|${r.tender}`;
    const have = merged.get(k);
    merged.set(
      k,
      have === undefined
        ? r
        : {
            ...have,
            count: have.count + r.count,
            amountFen: addFen(have.amountFen, r.amountFen),
            refunds: have.refunds + r.refunds,
            refundFen: addFen(have.refundFen, r.refundFen),
          },
    );
  }
  return [...merged.values()]
    .sort(
      (a, b) =>
        (a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : 0) ||
        (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
        TENDER_ORDER.indexOf(a.tender) - TENDER_ORDER.indexOf(b.tender),
    )
    .map((r) => ({ ...r, netFen: r.amountFen - r.refundFen }));
}

export interface HourPoint {
  /** 0–23 on the store's wall clock. */
  readonly hour: number;
  readonly claims: number;
  readonly redemptions: number;
}

/** Claims and redemptions by store-local hour, all 24 hours, summed over the rows given. */
export function byHour(rows: readonly BatchHour[]): HourPoint[] {
  const points = Array.from({ length: 24 }, (_, hour) => ({ hour, claims: 0, redemptions: 0 }));
  for (const r of rows) {
    const p = points[r.hour];
    if (p === undefined) continue;
    p.claims += r.claims;
    p.redemptions += r.redemptions;
  }
  return points;
}

/** One batch's counters per date, summed over its stores, dates ascending: what alerts read. */
export interface BatchSeries {
  readonly batchId: BatchId;
  readonly days: readonly { readonly date: LocalDate; readonly counts: BatchCounts }[];
}

export function batchSeries(batchId: BatchId, rows: readonly BatchDay[]): BatchSeries {
  const byDate = new Map<LocalDate, BatchDay[]>();
  for (const r of rows) {
    if (r.batchId !== batchId) continue;
    const list = byDate.get(r.date);
    if (list === undefined) byDate.set(r.date, [r]);
    else list.push(r);
  }
  const days = [...byDate]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, rs]) => ({ date, counts: sumCounts(rs) }));
  return { batchId, days };
}
