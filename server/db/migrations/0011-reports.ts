import type { Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * The daily report aggregates (core/reports/aggregates.ts): per batch × store × day, per store ×
 * day × tender, per batch × store × day × hour. The commit groups keep them up to date in the
 * transaction of each record (db/aggregate-buffer.ts); migration 0012, once the claims exist
 * too, fills them from the ledger the database already holds.
 */
export async function reports(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const counter = 'bigint';
  await db.schema
    .createTable('report_batch_day')
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('views', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('claims', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('redemptions', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('discount_fen', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('cycle0', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('cycle1', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('cycle2', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('cycle3', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('cycle4to7', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('cycle_over7', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('voucher_sales', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('voucher_sales_fen', counter, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('report_batch_day_pkey', ['batch_id', 'store_id', 'day'])
    .execute();
  // The heatmap and the store ranking read a date range across batches.
  await db.schema
    .createIndex('report_batch_day_by_day')
    .on('report_batch_day')
    .columns(['day', 'store_id'])
    .execute();

  await db.schema
    .createTable('report_tender_day')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('tender', 'text', (c) => c.notNull())
    .addColumn('sales', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('amount_fen', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('refunds', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('refund_fen', counter, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('report_tender_day_pkey', ['store_id', 'day', 'tender'])
    .execute();
  await db.schema
    .createIndex('report_tender_day_by_day')
    .on('report_tender_day')
    .columns(['day'])
    .execute();

  await db.schema
    .createTable('report_batch_hour')
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('hour', 'integer', (c) => c.notNull())
    .addColumn('claims', counter, (c) => c.notNull().defaultTo(0))
    .addColumn('redemptions', counter, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('report_batch_hour_pkey', ['batch_id', 'store_id', 'day', 'hour'])
    .execute();

  // The dashboard counts today's paid sales chain-wide.
  await db.schema.createIndex('sales_by_day').on('sales').columns(['day', 'state']).execute();

  // Chain-wide report settings by name (the alert thresholds), JSON values.
  await db.schema
    .createTable('report_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
