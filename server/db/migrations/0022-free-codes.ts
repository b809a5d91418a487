import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect';

/**
 * PostgreSQL: a claim takes the batch's first unclaimed code by code order (claims/claim.ts),
 * and migration 0017's index (batch_id, state, claimed_at, code) does not hand it over there:
 * PostgreSQL does not take `claimed_at is null` as an equality, so it read and sorted every
 * unclaimed code of the batch on every claim (44 ms with 20,000 codes, bench/reports.bench.ts).
 * An index of the unclaimed codes only, by batch and code, gives the first at once. SQLite walks
 * 0017's index in code order already, so it gets no second index to keep up on every write.
 */
export async function freeCodes(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await db.schema
    .createIndex('codes_free')
    .on('codes')
    .columns(['batch_id', 'code'])
    .where(sql.ref('state'), '=', sql.lit('issued'))
    .where(sql.ref('claimed_at'), 'is', null)
    .execute();
}
