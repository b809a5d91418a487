import type { Kysely } from 'kysely';
import type { ChangesQuery } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';
import type { Database } from '../db/schema';
import { HttpError } from '../http/errors';
import { readChangesPage, visibleBatchIds } from './changes';
import { decodeCursor } from './cursor';

/** The next page of the feed a terminal may see, as ChangesPage JSON text (readChangesPage). */
export async function terminalChangesPage(
  db: Kysely<Database>,
  actor: TerminalActor,
  query: ChangesQuery,
  epoch: string,
): Promise<string> {
  const since = decodeCursor(query.since, epoch);
  if (!since.ok)
    throw since.code === 'FEED_RESET'
      ? new HttpError(409, 'FEED_RESET', since.message)
      : new HttpError(400, 'BAD_REQUEST', since.message);
  const visible = await visibleBatchIds(db, actor.storeId, actor.groupIds);
  return readChangesPage(db, since.value, query.limit, visible, epoch);
}
