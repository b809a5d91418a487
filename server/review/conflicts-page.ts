import type { Kysely } from 'kysely';
import type { ConflictsPage, ConflictsQuery } from '../../core/protocol';
import type { UserActor } from '../auth/actors';
import type { Database } from '../db/schema';
import { HttpError } from '../http/errors';
import { conflictView } from '../ledger/conflicts';
import { reviewScope } from './scope';

/** One page of conflicts the user may see, oldest first; `next` continues after it. */
export async function conflictsPage(
  db: Kysely<Database>,
  user: UserActor,
  q: ConflictsQuery,
): Promise<ConflictsPage> {
  const storeId = reviewScope(user, q.storeId);
  let query = db.selectFrom('conflicts').selectAll();
  if (storeId !== null) query = query.where('store_id', '=', storeId);
  if (q.state === 'open') query = query.where('resolution', 'is', null);
  if (q.state === 'resolved') query = query.where('resolution', 'is not', null);
  if (q.after !== undefined) {
    const [createdAt, id] = q.after.split('|');
    if (!createdAt || !id)
      throw new HttpError(
        400,
        'BAD_REQUEST',
        'after must be the `next` value of the previous page.',
      );
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('redemption_id', '>', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('created_at')
    .orderBy('redemption_id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    conflicts: page.map(conflictView),
    next: rows.length > q.limit && last ? `${last.created_at}|${last.redemption_id}` : null,
  };
}
