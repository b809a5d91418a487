import type { Kysely } from 'kysely';
import { rebuildStoreDays } from '../../reports/rebuild';
import type { Database } from '../schema';
import type { Dialect } from './dialect';

/**
 * report_store_day: report_batch_day summed over batches (reports/aggregate-tables.ts
 * STORE_DAY), for the heatmap and the store ranking across batches; filled here from the
 * batch rows the database already holds, then kept by the same upserts.
 */
export async function storeDay(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const counter = 'bigint';
  let table = db.schema
    .createTable('report_store_day')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull());
  for (const c of [
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
  ])
    table = table.addColumn(c, counter, (col) => col.notNull().defaultTo(0));
  await table.addPrimaryKeyConstraint('report_store_day_pkey', ['store_id', 'day']).execute();
  await db.schema
    .createIndex('report_store_day_by_day')
    .on('report_store_day')
    .columns(['day', 'store_id'])
    .execute();
  await rebuildStoreDays(db as unknown as Kysely<Database>);
}
