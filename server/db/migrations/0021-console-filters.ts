import type { Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * Indexes for the console's filtered lists, each paged by a cursor in a fixed order.
 * - The audit log by actor and by kind, in chain order (review/audit-page.ts). Every sale and
 *   every pushed offline redemption adds an entry, so without these a rare actor or kind meant
 *   reading the log from the cursor onwards for each page.
 * - The codes of a batch in code order (catalog/codes-page.ts). 0001's index on batch_id alone
 *   made both databases sort every code of the batch for each page: p95 320 ms for a page of
 *   100 of a 1,000,000-code store (bench/manager.bench.ts). It is replaced, as this one serves
 *   every look-up by batch that it served.
 */
export async function consoleFilters(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('audit_by_actor').on('audit_log').columns(['actor', 'seq']).execute();
  await db.schema
    .createIndex('audit_by_action')
    .on('audit_log')
    .columns(['action', 'seq'])
    .execute();
  await db.schema
    .createIndex('codes_by_batch_code')
    .on('codes')
    .columns(['batch_id', 'code'])
    .execute();
  await db.schema.dropIndex('codes_by_batch').execute();
}
