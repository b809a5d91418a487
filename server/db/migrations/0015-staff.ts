import type { Kysely } from 'kysely';

/**
 * The console's Staff and tills and Offline allowance screens. Users and a store's offline
 * allowance are edited like batches: a version, who changed it last and when (the "changed by X
 * at T, reload" of a refused change), and the request id of that change, so a retried change
 * (its answer lost) gets the stored row. A disabled user cannot sign in. A till's last request
 * is remembered (written at most once a minute, auth/last-seen.ts).
 */
export async function staff(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
  await db.schema
    .alterTable('users')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('users').addColumn('updated_by', 'text').execute();
  await db.schema.alterTable('users').addColumn('updated_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('last_request_id', 'text').execute();
  await db.schema
    .alterTable('stores')
    .addColumn('offline_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('stores').addColumn('offline_updated_by', 'text').execute();
  await db.schema.alterTable('stores').addColumn('offline_updated_at', 'text').execute();
  await db.schema.alterTable('stores').addColumn('offline_request_id', 'text').execute();
  await db.schema.alterTable('terminals').addColumn('last_seen_at', 'text').execute();
}
