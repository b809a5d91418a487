import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** The server_keys row a restore writes (ops/restore.ts); absent on a store never restored. */
export const FEED_EPOCH_KEY = 'feed_epoch';

/** The store's feed epoch, '' when it was never restored. */
export async function readFeedEpoch(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('server_keys')
    .select('value')
    .where('name', '=', FEED_EPOCH_KEY)
    .executeTakeFirst();
  return row?.value ?? '';
}
