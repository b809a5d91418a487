import type { Kysely } from 'kysely';

/**
 * The manager console edits batches: who changed a batch last and when (the "changed by X at T,
 * reload" of a refused save), and the request id of that change, so a retried save (its answer
 * lost) is answered with the stored batch instead of being refused as a conflict with itself.
 */
export async function consoleEdits(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('batches').addColumn('updated_by', 'text').execute();
  await db.schema.alterTable('batches').addColumn('updated_at', 'text').execute();
  await db.schema.alterTable('batches').addColumn('last_request_id', 'text').execute();
}
