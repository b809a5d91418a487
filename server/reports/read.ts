import { sql, type Kysely } from 'kysely';
import type { BatchDay, BatchHour, TenderDay } from '../../core/reports/aggregates';
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

/**
 * The rows of an aggregate table under `filter`, summed in the database over the key columns
 * not in `keep` (a heatmap needs store × day, not batch × store × day: 500 × 90 rows read, not
 * 200 times that). The figure functions of core/reports then work on them as on any rows: each
 * row is a sum, and sums of sums are sums.
 */
async function summed<R>(
  db: Kysely<Database>,
  t: AggregateTable<R>,
  filter: RowFilter,
  keep: readonly string[],
  counters: readonly string[] = t.counters,
): Promise<R[]> {
  const where = [sql`day <= ${filter.to}`];
  if (filter.from !== undefined) where.push(sql`day >= ${filter.from}`);
  if (filter.storeId) where.push(sql`store_id = ${filter.storeId}`);
  if (filter.batchId && t.keys.includes('batch_id')) where.push(sql`batch_id = ${filter.batchId}`);
  const keys = t.keys.map((k) => (keep.includes(k) ? sql.ref(k) : sql`'*'`));
  const grouped = t.keys.filter((k) => keep.includes(k)).map((k) => sql.ref(k));
  // Every key kept: each row is its own group (the keys are the primary key), read as it is.
  const whole = grouped.length === t.keys.length;
  const result = await sql<Record<string, unknown>>`
    select ${sql.join(t.keys.map((k, i) => sql`${keys[i]} as ${sql.ref(k)}`))},
      ${sql.join(counters.map((c) => (whole ? sql.ref(c) : sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`)))}
    from ${sql.table(t.name)}
    where ${sql.join(where, sql` and `)}
    ${grouped.length > 0 && !whole ? sql`group by ${sql.join(grouped)}` : sql``}`.execute(db);
  return result.rows.map((r) => t.parse(r));
}

/**
 * Batch rows; summed over every batch they come from report_store_day, a row per store and day.
 * `counters` limits the sums read (the others read as 0): a 500-store, 90-day heatmap is 45,000
 * rows, and each column left out is 45,000 values fewer to build and collect.
 */
export const batchDays = (
  db: Kysely<Database>,
  filter: RowFilter,
  keep: readonly Key[],
  counters?: readonly (typeof BATCH_DAY.counters)[number][],
): Promise<BatchDay[]> =>
  summed(
    db,
    keep.includes('batch_id') || filter.batchId ? BATCH_DAY : STORE_DAY,
    filter,
    keep,
    counters,
  );

export const tenderDays = (db: Kysely<Database>, filter: RowFilter): Promise<TenderDay[]> =>
  summed(db, TENDER_DAY, filter, ['store_id', 'day', 'tender']);

/** Hour rows summed over batches, stores and days: one row per hour. */
export const hourRows = (db: Kysely<Database>, filter: RowFilter): Promise<BatchHour[]> =>
  summed(db, BATCH_HOUR, filter, ['hour']);
