import { type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * Refunds (原路退款): one row per refund request, keyed like sales by (terminal_id, id) — the
 * till's refundId, its idempotency key — and one row per tender it gives back. A WeChat part gets
 * its out_refund_no when the request is stored, before WeChat is called, and keeps it for every
 * retry; cash parts are given back from the drawer at once.
 */
export async function refunds(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('refunds')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    /** The sale refunded: (sale_terminal_id, sale_id), of the same store. */
    .addColumn('sale_terminal_id', 'text', (c) => c.notNull())
    .addColumn('sale_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    /** RefundLine[] as JSON, or null. */
    .addColumn('lines', 'text')
    .addColumn('approved_by', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('refunds_pkey', ['terminal_id', 'id'])
    .execute();
  await db.schema
    .createIndex('refunds_by_sale')
    .on('refunds')
    .columns(['sale_terminal_id', 'sale_id'])
    .execute();

  await db.schema
    .createTable('refund_parts')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('refund_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sale_terminal_id', 'text', (c) => c.notNull())
    .addColumn('sale_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    /** cash | wechat */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The sale tender given back. */
    .addColumn('tender_seq', 'integer', (c) => c.notNull())
    .addColumn('payment_id', 'text')
    .addColumn('out_trade_no', 'text')
    /** Ours, made once when the part is stored; null for cash. */
    .addColumn('out_refund_no', 'text', (c) => c.unique())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    /** The payment's total, as WeChat's amount.total wants it. */
    .addColumn('total_fen', 'bigint')
    /** requested → processing → succeeded | closed | abnormal (cash: succeeded at once). */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('wechat_refund_id', 'text')
    .addColumn('provider_code', 'text')
    .addColumn('queried_at', 'text')
    .addColumn('settled_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('refund_parts_pkey', ['terminal_id', 'refund_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('refund_parts_by_sale')
    .on('refund_parts')
    .columns(['sale_terminal_id', 'sale_id'])
    .execute();
  // A refund names its sale by id within the store (any till of the store may refund it).
  await db.schema.createIndex('sales_by_id').on('sales').columns(['id']).execute();
}
