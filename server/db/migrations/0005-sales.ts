import { type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * The sales ledger: one row per sale, keyed like redemptions by (terminal_id, id) — the
 * terminal's idempotency key — and one row per tender, so sales per tender are an index range.
 * A redemption names the sale it was applied to once the sale is recorded.
 */
export async function sales(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('sales')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('cashier_id', 'text')
    .addColumn('shift_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    /** Store-local date of `at`: the key of daily figures. */
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('subtotal_fen', 'bigint', (c) => c.notNull())
    .addColumn('discount_fen', 'bigint', (c) => c.notNull())
    .addColumn('due_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('change_fen', 'bigint', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('offline', 'integer', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_pkey', ['terminal_id', 'id'])
    .execute();
  await db.schema
    .createIndex('sales_by_store_day')
    .on('sales')
    .columns(['store_id', 'day'])
    .execute();
  await db.schema.createIndex('sales_by_shift').on('sales').columns(['shift_id']).execute();

  await db.schema
    .createTable('sale_tenders')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('sale_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('change_fen', 'bigint', (c) => c.notNull())
    .addColumn('payment_id', 'text')
    /** settled (cash), pending (a WeChat payment not confirmed yet), paid, failed. */
    .addColumn('state', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sale_tenders_pkey', ['terminal_id', 'sale_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('sale_tenders_by_store_day')
    .on('sale_tenders')
    .columns(['store_id', 'day', 'kind'])
    .execute();

  await db.schema.alterTable('redemptions').addColumn('sale_id', 'text').execute();
}
