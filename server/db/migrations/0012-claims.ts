import type { Kysely } from 'kysely';
import { rebuildAggregates } from '../../reports/rebuild';
import type { Database } from '../schema';
import type { Dialect } from './dialect';

/**
 * Claim pages (a public link and poster a manager publishes for a batch) and the claims made
 * on them: which customer (a device key, hashed) took which code, when. A claim sets the
 * code's claimed_at, which reaches the tills through the change feed.
 */
export async function claims(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('claim_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    /** The store the page's views and claims count for (the counter stand it stands on). */
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('total_stock', 'integer', (c) => c.notNull())
    .addColumn('daily_stock', 'integer')
    .addColumn('per_customer', 'integer', (c) => c.notNull())
    .addColumn('claimed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('claims')
    .addColumn('page_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('customer', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    /** Store-local date of the claim: the key of the daily stock. */
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('claims_by_customer')
    .on('claims')
    .columns(['batch_id', 'customer'])
    .execute();
  await db.schema
    .createIndex('claims_by_page_day')
    .on('claims')
    .columns(['page_id', 'day'])
    .execute();
  // The next unclaimed code of a batch.
  await db.schema
    .createIndex('codes_unclaimed')
    .on('codes')
    .columns(['batch_id', 'state', 'claimed_at'])
    .execute();

  // The backfill of the report aggregates (0011) from every record kept so far.
  await rebuildAggregates(db as unknown as Kysely<Database>);
}
