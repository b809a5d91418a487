import { z } from 'zod';
import { BatchId, StoreId } from '../ids';
import { addFen, Fen } from '../money';
import { localTime } from '../time';
import { dayNumber, LocalDate } from './days';

/**
 * The daily aggregates reports read (DESIGN.md "Manager console and reports"). The server keeps
 * one row per key and, in the same transaction as each record it writes, adds that record's
 * deltas (deltasOf) to the rows with mergeRow — so a report over years reads a few thousand
 * rows, never the ledger. Every counter is a sum, so rows merge in any order.
 *
 * Days are store-local dates in the zone of the store the record belongs to.
 */

const Count = z.number().int().min(0);

/**
 * Redemption cycle (核销周期) buckets: whole store-local calendar days from the claim date to the
 * redemption date (claimed Monday 23:00, redeemed Tuesday 09:00 is 1 day). 0, 1, 2, 3 each
 * alone, then 4–7 and >7: the healthy band (≤ 3 days) and warning band (> 7 days) are
 * each an exact union of buckets, so both bands and "median > 7 days" are exact from the
 * aggregate, and the histogram still shows the shape of the first days, where most vouchers go.
 */
export const CYCLE_BUCKETS = [
  'cycle0',
  'cycle1',
  'cycle2',
  'cycle3',
  'cycle4to7',
  'cycleOver7',
] as const;
export type CycleBucket = (typeof CYCLE_BUCKETS)[number];

/** The bucket of a cycle of `days` days; a redemption dated before its claim (a till's clock) counts as 0. */
export function cycleBucket(days: number): CycleBucket {
  if (days <= 0) return 'cycle0';
  if (days <= 3) return CYCLE_BUCKETS[days] ?? 'cycle3';
  return days <= 7 ? 'cycle4to7' : 'cycleOver7';
}

/** Per batch, per store, per store-local day. */
export const BatchDay = z
  .object({
    batchId: BatchId,
    storeId: StoreId,
    date: LocalDate,
    /** Claim-page views of the batch attributed to the store. */
    views: Count,
    claims: Count,
    redemptions: Count,
    /** Discount the redemptions gave. */
    discountFen: Fen,
    cycle0: Count,
    cycle1: Count,
    cycle2: Count,
    cycle3: Count,
    cycle4to7: Count,
    cycleOver7: Count,
    /** Sales that carried at least one voucher of the batch (a sale counts once per batch). */
    voucherSales: Count,
    /** Those sales' subtotal before any voucher: the order value the batch brought in. */
    voucherSalesFen: Fen,
  })
  .strict();
export type BatchDay = z.infer<typeof BatchDay>;

/** How a sale was paid; `voucher` is the part vouchers paid (the sale's voucher discount). */
export const TenderKind = z.enum(['cash', 'wechat_native', 'wechat_code', 'voucher']);
export type TenderKind = z.infer<typeof TenderKind>;

/** Per store, per store-local day, per tender. */
export const TenderDay = z
  .object({
    storeId: StoreId,
    date: LocalDate,
    tender: TenderKind,
    /** Sales paid (in part) by this tender. */
    count: Count,
    amountFen: Fen,
    /**
     * Refunds paid back (in part) through this tender, on the store-local day each refund was
     * made, counted once its money is back (a WeChat part succeeded, cash handed back).
     */
    refunds: Count,
    refundFen: Fen,
  })
  .strict();
export type TenderDay = z.infer<typeof TenderDay>;

/** Per batch, per store, per store-local day and hour (0–23): sparse, only hours with records. */
export const BatchHour = z
  .object({
    batchId: BatchId,
    storeId: StoreId,
    date: LocalDate,
    hour: z.number().int().min(0).max(23),
    claims: Count,
    redemptions: Count,
  })
  .strict();
export type BatchHour = z.infer<typeof BatchHour>;

/** A record as the aggregates see it; instants are epoch ms (the server parses Instants first). */
export type ReportRecord =
  | {
      readonly kind: 'view';
      readonly batchId: BatchId;
      readonly storeId: StoreId;
      readonly atMs: number;
    }
  | {
      readonly kind: 'claim';
      readonly batchId: BatchId;
      readonly storeId: StoreId;
      readonly atMs: number;
    }
  | {
      readonly kind: 'redemption';
      readonly batchId: BatchId;
      /** The redeeming store. */
      readonly storeId: StoreId;
      readonly atMs: number;
      /**
       * null: the code has no claim time (issued by CSV without one). The redemption counts,
       * but in no cycle bucket: its cycle is unknown, and the median is of the known ones.
       */
      readonly claimedAtMs: number | null;
      readonly discountFen: Fen;
    }
  | {
      readonly kind: 'sale';
      readonly storeId: StoreId;
      readonly atMs: number;
      readonly subtotalFen: Fen;
      /** Cash counted at the amount it pays, not what was handed over. */
      readonly tenders: readonly {
        readonly kind: Exclude<TenderKind, 'voucher'>;
        readonly amountFen: Fen;
      }[];
      /**
       * The redemptions on the sale, with the discount each gave. `returned`: given back since by
       * a full refund of the sale (Batch.returnOnRefund): still part of how the sale was paid
       * (its voucher tender), no longer a voucher sale of its batch. Absent: not returned.
       */
      readonly vouchers: readonly {
        readonly batchId: BatchId;
        readonly discountFen: Fen;
        readonly returned?: boolean;
      }[];
    }
  | {
      /**
       * Money a refund paid back through one tender (its parts of that tender that succeeded), in
       * the refund's store, dated when the refund was made.
       */
      readonly kind: 'refund';
      readonly storeId: StoreId;
      readonly atMs: number;
      readonly tender: TenderKind;
      readonly amountFen: Fen;
      /**
       * A further part of a refund already counted under this tender (a sale paid by two WeChat
       * payments, each paid back by its own part, settling apart): its money adds, the refund is
       * not counted twice — as a sale paid by two cash lines is one cash sale. Absent: counted.
       */
      readonly furtherPart?: true;
    };

export type RedemptionRecord = Extract<ReportRecord, { kind: 'redemption' }>;

export type AggregateRow =
  | { readonly table: 'batch_day'; readonly row: BatchDay }
  | { readonly table: 'tender_day'; readonly row: TenderDay }
  | { readonly table: 'batch_hour'; readonly row: BatchHour };

/** A batch's counters without their key: what sums over any set of its rows (stores, days). */
export type BatchCounts = Omit<BatchDay, 'batchId' | 'storeId' | 'date'>;

export const ZERO_BATCH_COUNTS: BatchCounts = {
  views: 0,
  claims: 0,
  redemptions: 0,
  discountFen: 0 as Fen,
  cycle0: 0,
  cycle1: 0,
  cycle2: 0,
  cycle3: 0,
  cycle4to7: 0,
  cycleOver7: 0,
  voucherSales: 0,
  voucherSalesFen: 0 as Fen,
};

const BATCH_COUNT_SUMS = [
  'views',
  'claims',
  'redemptions',
  ...CYCLE_BUCKETS,
  'voucherSales',
] as const;

/** T with its fields writable: a running total added into in place. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Adds `b`'s counters into `sum` in place: a running total that allocates nothing per row. */
export function addBatchCountsInto(sum: Mutable<BatchCounts>, b: BatchCounts): void {
  sum.discountFen = addFen(sum.discountFen, b.discountFen);
  sum.voucherSalesFen = addFen(sum.voucherSalesFen, b.voucherSalesFen);
  for (const k of BATCH_COUNT_SUMS) sum[k] += b[k];
}

/** `a` with `b`'s counters added, column by column (the upsert's sum; the figures' sum). */
export function addBatchCounts<T extends BatchCounts>(a: T, b: BatchCounts): T {
  const out: Mutable<T> = { ...a };
  addBatchCountsInto(out, b);
  return out;
}

const emptyBatchDay = (batchId: BatchId, storeId: StoreId, date: LocalDate): BatchDay => ({
  batchId,
  storeId,
  date,
  ...ZERO_BATCH_COUNTS,
});

const tenderDay = (storeId: StoreId, date: LocalDate, tender: TenderKind): TenderDay => ({
  storeId,
  date,
  tender,
  count: 0,
  amountFen: 0 as Fen,
  refunds: 0,
  refundFen: 0 as Fen,
});

const hourRow = (
  record: { readonly batchId: BatchId; readonly storeId: StoreId },
  date: LocalDate,
  hour: number,
  counts: Pick<BatchHour, 'claims' | 'redemptions'>,
): AggregateRow => ({
  table: 'batch_hour',
  row: { batchId: record.batchId, storeId: record.storeId, date, hour, ...counts },
});

const HOUR_MS = 3_600_000;
/** Per zone, the last few local days seen as [fromMs, toMs) intervals of UTC ms. */
const dayIntervals = new Map<string, { from: number; to: number; date: LocalDate }[]>();
const DAYS_KEPT = 16;

/**
 * The local date of an instant, for claim dates: localTime's cache holds one minute per zone,
 * and a redemption asks for its own minute and then its code's claim day, which would evict
 * each other on every redemption (the Intl call costs more than the rest of the counting).
 * The interval kept is local midnight + 1 h to + 22 h as computed from the wall clock: inside
 * the day even when a DST change of up to an hour falls between midnight and the instant.
 */
function localDateOf(ms: number, timeZone: string): LocalDate {
  let days = dayIntervals.get(timeZone);
  if (days === undefined) dayIntervals.set(timeZone, (days = []));
  for (const d of days) if (ms >= d.from && ms < d.to) return d.date;
  const t = localTime(ms, timeZone);
  const from = ms - (ms % 60_000) - t.minuteOfDay * 60_000;
  days.push({ from: from + HOUR_MS, to: from + 22 * HOUR_MS, date: t.date });
  if (days.length > DAYS_KEPT) days.shift();
  return t.date;
}

/**
 * The rows one record adds to, each holding only that record's contribution. `timeZone` is the
 * zone of the record's store; a redemption's cycle reads both its instants there.
 */
export function deltasOf(record: ReportRecord, timeZone: string): AggregateRow[] {
  const at = localTime(record.atMs, timeZone);
  const hour = Math.floor(at.minuteOfDay / 60);
  switch (record.kind) {
    case 'view':
      return [
        {
          table: 'batch_day',
          row: { ...emptyBatchDay(record.batchId, record.storeId, at.date), views: 1 },
        },
      ];
    case 'claim':
      return [
        {
          table: 'batch_day',
          row: { ...emptyBatchDay(record.batchId, record.storeId, at.date), claims: 1 },
        },
        hourRow(record, at.date, hour, { claims: 1, redemptions: 0 }),
      ];
    case 'redemption': {
      const row = emptyBatchDay(record.batchId, record.storeId, at.date);
      const counted = { ...row, redemptions: 1, discountFen: record.discountFen };
      if (record.claimedAtMs !== null) {
        const claimDate = localDateOf(record.claimedAtMs, timeZone);
        counted[cycleBucket(dayNumber(at.date) - dayNumber(claimDate))] = 1;
      }
      return [
        { table: 'batch_day', row: counted },
        hourRow(record, at.date, hour, { claims: 0, redemptions: 1 }),
      ];
    }
    case 'sale':
      return saleDeltas(record, at.date);
    case 'refund':
      return [
        {
          table: 'tender_day',
          row: {
            ...tenderDay(record.storeId, at.date, record.tender),
            refunds: record.furtherPart === true ? 0 : 1,
            refundFen: record.amountFen,
          },
        },
      ];
    default:
      throw new Error(`unknown report record ${JSON.stringify(record satisfies never)}`);
  }
}

function saleDeltas(
  sale: Extract<ReportRecord, { kind: 'sale' }>,
  date: LocalDate,
): AggregateRow[] {
  const out: AggregateRow[] = [];
  // A sale paid by two cash lines is one cash sale of their sum.
  const byTender = new Map<TenderKind, Fen>();
  for (const t of sale.tenders)
    byTender.set(t.kind, addFen(byTender.get(t.kind) ?? (0 as Fen), t.amountFen));
  const voucherFen = addFen(...sale.vouchers.map((v) => v.discountFen));
  if (sale.vouchers.length > 0) byTender.set('voucher', voucherFen);
  for (const [tender, amountFen] of byTender)
    out.push({
      table: 'tender_day',
      row: { ...tenderDay(sale.storeId, date, tender), count: 1, amountFen },
    });
  const used = sale.vouchers.filter((v) => v.returned !== true);
  for (const batchId of new Set(used.map((v) => v.batchId)))
    out.push({
      table: 'batch_day',
      row: {
        ...emptyBatchDay(batchId, sale.storeId, date),
        voucherSales: 1,
        voucherSalesFen: sale.subtotalFen,
      },
    });
  return out;
}

/**
 * A redemption given back by a full refund of its sale (Batch.returnOnRefund), as the aggregates
 * take it back out, so 核销 counts only vouchers still used: `redemption` is the record that
 * counted it (its own store, instant, code claim time and discount), and `voucherSale` the sale's
 * voucher sale of the batch when no voucher of the batch is left used on the sale (a sale counts
 * once per batch), else null. The tender rows keep the sale as it was paid: a refund does not
 * unpay a sale, and the voucher part of its payment was made.
 */
export interface ReturnedRedemption {
  readonly redemption: RedemptionRecord;
  readonly voucherSale: { readonly atMs: number; readonly subtotalFen: Fen } | null;
}

/**
 * The rows a returned redemption takes back (to subtract, each holding what it takes): the very
 * rows its redemption added — its own day, hour and cycle bucket, not the refund's, so a day's
 * figures read as if the voucher had not been used — and the voucher sale on the sale's own day.
 */
export function returnedDeltas(returned: ReturnedRedemption, timeZone: string): AggregateRow[] {
  const out = deltasOf(returned.redemption, timeZone);
  const { batchId, storeId } = returned.redemption;
  if (returned.voucherSale !== null)
    out.push({
      table: 'batch_day',
      row: {
        ...emptyBatchDay(batchId, storeId, localTime(returned.voucherSale.atMs, timeZone).date),
        voucherSales: 1,
        voucherSalesFen: returned.voucherSale.subtotalFen,
      },
    });
  return out;
}

/** The key of the row an aggregate belongs to (the server's primary key, as one string). */
export function keyOf(a: AggregateRow): string {
  switch (a.table) {
    case 'batch_day':
      return `batch_day|${a.row.batchId}|${a.row.storeId}|${a.row.date}`;
    case 'tender_day':
      return `tender_day|${a.row.storeId}|${a.row.date}|${a.row.tender}`;
    case 'batch_hour':
      return `batch_hour|${a.row.batchId}|${a.row.storeId}|${a.row.date}|${a.row.hour}`;
    default:
      throw new Error(`unknown aggregate ${JSON.stringify(a satisfies never)}`);
  }
}

/** Two rows of the same key added together (what the server's upsert does, column by column). */
export function mergeRow(a: AggregateRow, b: AggregateRow): AggregateRow {
  if (keyOf(a) !== keyOf(b)) throw new Error(`cannot merge ${keyOf(a)} into ${keyOf(b)}`);
  if (a.table === 'batch_day' && b.table === 'batch_day')
    return { table: 'batch_day', row: addBatchCounts(a.row, b.row) };
  if (a.table === 'tender_day' && b.table === 'tender_day')
    return {
      table: 'tender_day',
      row: {
        ...a.row,
        count: a.row.count + b.row.count,
        amountFen: addFen(a.row.amountFen, b.row.amountFen),
        refunds: a.row.refunds + b.row.refunds,
        refundFen: addFen(a.row.refundFen, b.row.refundFen),
      },
    };
  if (a.table === 'batch_hour' && b.table === 'batch_hour')
    return {
      table: 'batch_hour',
      row: {
        ...a.row,
        claims: a.row.claims + b.row.claims,
        redemptions: a.row.redemptions + b.row.redemptions,
      },
    };
  throw new Error(`cannot merge ${a.table} into ${b.table}`);
}

/** Aggregates by key: what the server's three tables hold. */
export type Aggregates = ReadonlyMap<string, AggregateRow>;

/** Adds rows into a copy of `into` (never mutates it). */
export function mergeAggregates(into: Aggregates, rows: Iterable<AggregateRow>): Aggregates {
  const out = new Map(into);
  for (const r of rows) {
    const k = keyOf(r);
    const have = out.get(k);
    out.set(k, have === undefined ? r : mergeRow(have, r));
  }
  return out;
}

/** Folds records into aggregates, each read in its store's zone. */
export function foldRecords(
  into: Aggregates,
  records: Iterable<ReportRecord>,
  zoneOf: (storeId: StoreId) => string,
): Aggregates {
  const rows: AggregateRow[] = [];
  for (const r of records) rows.push(...deltasOf(r, zoneOf(r.storeId)));
  return mergeAggregates(into, rows);
}

/** The rows of each table, for the figure functions. */
export function tablesOf(aggregates: Aggregates): {
  batchDays: BatchDay[];
  tenderDays: TenderDay[];
  batchHours: BatchHour[];
} {
  const out = {
    batchDays: [] as BatchDay[],
    tenderDays: [] as TenderDay[],
    batchHours: [] as BatchHour[],
  };
  for (const a of aggregates.values())
    if (a.table === 'batch_day') out.batchDays.push(a.row);
    else if (a.table === 'tender_day') out.tenderDays.push(a.row);
    else out.batchHours.push(a.row);
  return out;
}
