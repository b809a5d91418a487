import {
  addBatchCounts,
  type AggregateRow,
  type BatchDay,
  type BatchHour,
  type TenderDay,
} from '../../core/reports/aggregates';
import type { BatchId, StoreId } from '../../core/ids';
import type { Fen } from '../../core/money';

/**
 * The three aggregate tables of migration 0011 as columns, one description per table: the
 * upserts of the commit groups (db/group-appends.ts, db/pg-group-appends.ts), the rebuild and
 * the report reads all go through it, so a column is named in one place.
 */
export interface AggregateTable<R> {
  readonly name: string;
  /** The primary key's columns. */
  readonly keys: readonly string[];
  /** Counters: every one is a sum, so an upsert adds `excluded` to what the row holds. */
  readonly counters: readonly string[];
  /** PostgreSQL array types of keys then counters, for unnest(). */
  readonly pgTypes: readonly string[];
  /** A core row as the values of keys then counters. */
  values(row: R): unknown[];
  /** A database row (snake_case, bigints possibly as text) as a core row. */
  parse(row: Record<string, unknown>): R;
}

const n = (v: unknown): number => Number(v ?? 0);
const s = (v: unknown): string => String(v);

const BATCH_DAY_COUNTERS = [
  'views',
  'claims',
  'redemptions',
  'discount_fen',
  'cycle0',
  'cycle1',
  'cycle2',
  'cycle3',
  'cycle4to7',
  'cycle_over7',
  'voucher_sales',
  'voucher_sales_fen',
] as const;

export const BATCH_DAY: AggregateTable<BatchDay> = {
  name: 'report_batch_day',
  keys: ['batch_id', 'store_id', 'day'],
  counters: BATCH_DAY_COUNTERS,
  pgTypes: ['text', 'text', 'text', ...BATCH_DAY_COUNTERS.map(() => 'bigint')],
  values: (r) => [
    r.batchId,
    r.storeId,
    r.date,
    r.views,
    r.claims,
    r.redemptions,
    r.discountFen,
    r.cycle0,
    r.cycle1,
    r.cycle2,
    r.cycle3,
    r.cycle4to7,
    r.cycleOver7,
    r.voucherSales,
    r.voucherSalesFen,
  ],
  parse: (r) => ({
    batchId: s(r.batch_id) as BatchId,
    storeId: s(r.store_id) as StoreId,
    date: s(r.day),
    views: n(r.views),
    claims: n(r.claims),
    redemptions: n(r.redemptions),
    discountFen: n(r.discount_fen) as Fen,
    cycle0: n(r.cycle0),
    cycle1: n(r.cycle1),
    cycle2: n(r.cycle2),
    cycle3: n(r.cycle3),
    cycle4to7: n(r.cycle4to7),
    cycleOver7: n(r.cycle_over7),
    voucherSales: n(r.voucher_sales),
    voucherSalesFen: n(r.voucher_sales_fen) as Fen,
  }),
};

export const TENDER_DAY: AggregateTable<TenderDay> = {
  name: 'report_tender_day',
  keys: ['store_id', 'day', 'tender'],
  counters: ['sales', 'amount_fen', 'refunds', 'refund_fen'],
  pgTypes: ['text', 'text', 'text', 'bigint', 'bigint', 'bigint', 'bigint'],
  values: (r) => [r.storeId, r.date, r.tender, r.count, r.amountFen, r.refunds, r.refundFen],
  parse: (r) => ({
    storeId: s(r.store_id) as StoreId,
    date: s(r.day),
    tender: s(r.tender) as TenderDay['tender'],
    count: n(r.sales),
    amountFen: n(r.amount_fen) as Fen,
    refunds: n(r.refunds),
    refundFen: n(r.refund_fen) as Fen,
  }),
};

export const BATCH_HOUR: AggregateTable<BatchHour> = {
  name: 'report_batch_hour',
  keys: ['batch_id', 'store_id', 'day', 'hour'],
  counters: ['claims', 'redemptions'],
  pgTypes: ['text', 'text', 'text', 'integer', 'bigint', 'bigint'],
  values: (r) => [r.batchId, r.storeId, r.date, r.hour, r.claims, r.redemptions],
  parse: (r) => ({
    batchId: s(r.batch_id) as BatchId,
    storeId: s(r.store_id) as StoreId,
    date: s(r.day),
    hour: n(r.hour),
    claims: n(r.claims),
    redemptions: n(r.redemptions),
  }),
};

/**
 * report_store_day (migration 0018): report_batch_day summed over batches, kept beside it in
 * the same upserts. The store × day heatmap and the store ranking read a date range across all
 * batches: 500 stores × 90 days of rows here, where report_batch_day holds a row per batch too
 * (150,000 rows for those 90 days on the generated chain, read in 0.8–1 s on SQLite).
 * Not a core aggregate of its own: it is derived, and read back as batch rows of batch '*'.
 */
export const STORE_DAY: AggregateTable<BatchDay> = {
  name: 'report_store_day',
  keys: ['store_id', 'day'],
  counters: BATCH_DAY_COUNTERS,
  pgTypes: ['text', 'text', ...BATCH_DAY_COUNTERS.map(() => 'bigint')],
  values: (r) => BATCH_DAY.values(r).slice(1),
  // 45,000 rows for a 90-day heatmap of 500 stores: parsed without a copy of each row first.
  parse: (r) => ({
    batchId: '*' as BatchId,
    storeId: s(r.store_id) as StoreId,
    date: s(r.day),
    views: n(r.views),
    claims: n(r.claims),
    redemptions: n(r.redemptions),
    discountFen: n(r.discount_fen) as Fen,
    cycle0: n(r.cycle0),
    cycle1: n(r.cycle1),
    cycle2: n(r.cycle2),
    cycle3: n(r.cycle3),
    cycle4to7: n(r.cycle4to7),
    cycleOver7: n(r.cycle_over7),
    voucherSales: n(r.voucher_sales),
    voucherSalesFen: n(r.voucher_sales_fen) as Fen,
  }),
};

/** The rows of each table among `rows` (one per key), as column values (keys then counters). */
export function valuesByTable(rows: Iterable<AggregateRow>): {
  batchDay: unknown[][];
  tenderDay: unknown[][];
  batchHour: unknown[][];
  storeDay: unknown[][];
} {
  const out = {
    batchDay: [] as unknown[][],
    tenderDay: [] as unknown[][],
    batchHour: [] as unknown[][],
    storeDay: [] as unknown[][],
  };
  const storeDays = new Map<string, BatchDay>();
  for (const a of rows)
    if (a.table === 'batch_day') {
      out.batchDay.push(BATCH_DAY.values(a.row));
      const key = `${a.row.storeId}|${a.row.date}`;
      const have = storeDays.get(key);
      storeDays.set(key, have === undefined ? a.row : addBatchCounts(have, a.row));
    } else if (a.table === 'tender_day') out.tenderDay.push(TENDER_DAY.values(a.row));
    else out.batchHour.push(BATCH_HOUR.values(a.row));
  for (const r of storeDays.values()) out.storeDay.push(STORE_DAY.values(r));
  return out;
}

/** `insert … on conflict (keys) do update set c = t.c + excluded.c`: the upsert's tail. */
export function upsertTail(t: AggregateTable<unknown>): string {
  return `on conflict (${t.keys.join(', ')}) do update set ${t.counters
    .map((c) => `${c} = ${t.name}.${c} + excluded.${c}`)
    .join(', ')}`;
}

export const AGGREGATE_TABLES = [BATCH_DAY, TENDER_DAY, BATCH_HOUR] as const;
