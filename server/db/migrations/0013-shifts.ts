import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * Shifts (交班 / 日结): one row per shift, keyed like sales by (terminal_id, id) — the till's
 * shift id, its idempotency key. The report is computed from the sales ledger when the shift
 * closes and stored as the answer every repeat of the close gets. A till has at most one open
 * shift; the partial unique index holds that even when two opens race.
 */
export async function shifts(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('shifts')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('cashier_id', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('float_fen', 'bigint', (c) => c.notNull())
    .addColumn('open_hash', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('counted_fen', 'bigint')
    .addColumn('close_hash', 'text')
    /** The ShiftReport as JSON, stored when the shift closes; sent byte for byte after that. */
    .addColumn('report', 'text')
    .addPrimaryKeyConstraint('shifts_pkey', ['terminal_id', 'id'])
    .execute();
  await db.schema
    .createIndex('shifts_one_open')
    .on('shifts')
    .column('terminal_id')
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();
  // A shift's sales that name no shift are found by their time on the till.
  await db.schema
    .createIndex('sales_by_terminal_at')
    .on('sales')
    .columns(['terminal_id', 'at'])
    .execute();
}
