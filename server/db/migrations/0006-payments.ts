import { type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * WeChat payments: one row per payment attempt, keyed like sales by (terminal_id, id) — the till's
 * paymentId, its idempotency key — with our out_trade_no (one per attempt) unique, and the
 * notifications already applied (WeChat re-sends until acknowledged). Native and payment-code
 * payments share the table; refunds get their own later, referring to (terminal_id, id).
 */
export async function payments(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('sale_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    /** native | code */
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('out_trade_no', 'text', (c) => c.notNull().unique())
    /** creating → pending → paid | closed | failed | unknown */
    .addColumn('state', 'text', (c) => c.notNull())
    /** The confirmations disagreed (or could not agree): a manager decides; never counted paid. */
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hold_reason', 'text')
    .addColumn('code_url', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('transaction_id', 'text')
    /** {openid?, payerTotalFen?, bankType?} as JSON. */
    .addColumn('payer', 'text')
    /** promotion_detail (PaymentVoucher[]) as JSON. */
    .addColumn('promotion', 'text')
    /** The verified notification's transaction as JSON: the first confirmation. */
    .addColumn('notified', 'text')
    .addColumn('notified_at', 'text')
    /** The last order query's trade state and when: the second confirmation. */
    .addColumn('queried_state', 'text')
    .addColumn('queried_at', 'text')
    .addColumn('paid_at', 'text')
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('payments_pkey', ['terminal_id', 'id'])
    .execute();
  // The reconciliation job walks what is left pending, oldest first.
  await db.schema
    .createIndex('payments_by_state')
    .on('payments')
    .columns(['state', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('payments_by_sale')
    .on('payments')
    .columns(['terminal_id', 'sale_id'])
    .execute();

  await db.schema
    .createTable('payment_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('out_trade_no', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
}
