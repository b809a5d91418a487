import type { Kysely } from 'kysely';

/**
 * Idempotent lease renewal: the terminal's request id on each lease (one lease
 * per terminal and request), and when a replaced lease stopped taking
 * redemptions made after its replacement (ledger/lease.ts).
 */
export async function leaseRequest(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('leases').addColumn('request_id', 'text').execute();
  await db.schema.alterTable('leases').addColumn('retired_at', 'text').execute();
  // Leases issued before this migration have no request id; NULLs never collide in a unique index.
  await db.schema
    .createIndex('leases_by_request')
    .on('leases')
    .columns(['terminal_id', 'request_id'])
    .unique()
    .execute();
}
