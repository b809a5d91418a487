import { sql, type Kysely } from 'kysely';
import type { BatchDay, BatchHour, TenderDay } from '../../core/reports/aggregates';
import type { StoreDays } from '../../core/reports/figures';
import type { StoreId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { Database } from '../db/schema';
import {
  BATCH_DAY,
  BATCH_HOUR,
  STORE_DAY,
  TENDER_DAY,
  type AggregateTable,
} from './aggregate-tables';

/** Which aggregate rows a report reads: a date range, and optionally one store and one batch. */
export interface RowFilter {
  readonly from?: string;
  readonly to: string;
  readonly storeId?: string | null;
  readonly batchId?: string | null;
}

/** A key column a read keeps; the others are summed over and read back as '*'. */
type Key = 'batch_id' | 'store_id' | 'day';

/** The filter as a where clause on table `t` (its batch only where it has a batch column). */
function whereOf(t: AggregateTable<unknown>, filter: RowFilter) {
  const where = [sql`day <= ${filter.to}`];
  if (filter.from !== undefined) where.push(sql`day >= ${filter.from}`);
  if (filter.storeId) where.push(sql`store_id = ${filter.storeId}`);
  if (filter.batchId && t.keys.includes('batch_id')) where.push(sql`batch_id = ${filter.batchId}`);
  return sql.join(where, sql` and `);
}

/**
 * The rows of an aggregate table under `filter`, summed in the database over the key columns
 * not in `keep` (a batch's stores need store rows, not one per store and day). The figure
 * functions of core/reports then work on them as on any rows: each row is a sum, and sums of
 * sums are sums.
 */
async function summed<R>(
  db: Kysely<Database>,
  t: AggregateTable<R>,
  filter: RowFilter,
  keep: readonly string[],
): Promise<R[]> {
  const counters = t.counters;
  const where = whereOf(t, filter);
  const keys = t.keys.map((k) => (keep.includes(k) ? sql.ref(k) : sql`'*'`));
  const grouped = t.keys.filter((k) => keep.includes(k)).map((k) => sql.ref(k));
  // Every key kept: each row is its own group (the keys are the primary key), read as it is.
  const whole = grouped.length === t.keys.length;
  const result = await sql<Record<string, unknown>>`
    select ${sql.join(t.keys.map((k, i) => sql`${keys[i]} as ${sql.ref(k)}`))},
      ${sql.join(counters.map((c) => (whole ? sql.ref(c) : sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`)))}
    from ${sql.table(t.name)}
    where ${where}
    ${grouped.length > 0 && !whole ? sql`group by ${sql.join(grouped)}` : sql``}`.execute(db);
  return result.rows.map((r) => t.parse(r));
}

/** Batch rows; summed over every batch they come from report_store_day, a row per store and day. */
export const batchDays = (
  db: Kysely<Database>,
  filter: RowFilter,
  keep: readonly Key[],
): Promise<BatchDay[]> =>
  summed(db, keep.includes('batch_id') || filter.batchId ? BATCH_DAY : STORE_DAY, filter, keep);

export const tenderDays = (db: Kysely<Database>, filter: RowFilter): Promise<TenderDay[]> =>
  summed(db, TENDER_DAY, filter, ['store_id', 'day', 'tender']);

/** Hour rows summed over batches, stores and days: one row per hour. */
export const hourRows = (db: Kysely<Database>, filter: RowFilter): Promise<BatchHour[]> =>
  summed(db, BATCH_HOUR, filter, ['hour']);

/**
 * The heatmap's and ranking's read: one row per store, its days packed into one text
 * ("date:redemptions:discount", comma-joined, by string_agg on both databases) beside its sums.
 * A 500-store, 90-day range is 500 rows to read, not the 30,000 rows of objects that a row per
 * store and day was (most of that answer's time, in the drivers and the garbage collector).
 * One batch's come from report_batch_day; every batch's from report_store_day.
 */
export async function storeDays(db: Kysely<Database>, filter: RowFilter): Promise<StoreDays[]> {
  const t = filter.batchId ? BATCH_DAY : STORE_DAY;
  const result = await sql<Record<string, unknown>>`
    select store_id,
      string_agg(day || ':' || redemptions || ':' || discount_fen, ',') as days,
      sum(redemptions) as redemptions, sum(discount_fen) as discount_fen,
      sum(voucher_sales) as voucher_sales, sum(voucher_sales_fen) as voucher_sales_fen
    from ${sql.table(t.name)}
    where ${whereOf(t, filter)}
    group by store_id`.execute(db);
  return result.rows.map((r) => {
    const dates: string[] = [];
    const dayRedemptions: number[] = [];
    const dayDiscountFen: Fen[] = [];
    for (const cell of String(r.days).split(',')) {
      const [date = '', redemptions, discount] = cell.split(':');
      dates.push(date);
      dayRedemptions.push(Number(redemptions));
      dayDiscountFen.push(Number(discount) as Fen);
    }
    return {
      storeId: String(r.store_id) as StoreId,
      redemptions: Number(r.redemptions),
      discountFen: Number(r.discount_fen) as Fen,
      voucherSales: Number(r.voucher_sales),
      voucherSalesFen: Number(r.voucher_sales_fen) as Fen,
      dates,
      dayRedemptions,
      dayDiscountFen,
    };
  });
}
