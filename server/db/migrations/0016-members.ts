import type { Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * Members (会员): one row per member of the chain, found at the counter by the card's barcode
 * or the phone number, both unique. `version` counts edits; the feed carries each version to
 * every till (members are the chain's, not a store's).
 */
export async function members(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone', 'text', (c) => c.notNull().unique())
    .addColumn('card', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}
