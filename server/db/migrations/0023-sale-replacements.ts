import { type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * A sale that replaces an earlier one of its terminal (SaleRequest.replaces, sales/replace.ts)
 * leaves a row here, keyed by the replaced sale: one replacement per sale, and a push of the
 * replaced sale that arrives after its replacement (it never reached the server before) is
 * recorded voided instead of as a live sale.
 */
export async function saleReplacements(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('sale_replacements')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('replaced_id', 'text', (c) => c.notNull())
    .addColumn('replacing_id', 'text', (c) => c.notNull())
    /** The replaced sale's state when it was replaced: open, or absent (not recorded yet). */
    .addColumn('replaced_state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sale_replacements_pkey', ['terminal_id', 'replaced_id'])
    .execute();
}
