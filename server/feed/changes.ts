import type { Kysely } from 'kysely';
import type { Change, ChangesPage } from '../../core/protocol';
import type { Batch } from '../../core/vouchers';
import type { Database } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { encodeCursor } from './cursor';

/**
 * The change feed: an ordered table terminals pull with a cursor.
 *
 * Why a terminal never skips a change committed late: a reader returns rows
 * with seq > cursor. If seq were taken from a sequence freely, transaction A
 * could take 10, B take 11 and commit first; a terminal reading then would
 * store cursor 11 and never see 10. So every feed append first takes one
 * transaction-level lock (WriteTx.lockAppends: a PostgreSQL advisory xact
 * lock, released only by COMMIT/ROLLBACK) before it draws its sequence
 * numbers. Whoever holds the lock draws the next numbers and commits before
 * the next holder can draw, so sequence order is commit order on every
 * instance, and a row visible to a reader has no invisible row below it.
 * Rolled-back draws leave gaps, which are harmless: cursors only compare.
 * On SQLite all writes are serial already: the commit group numbers its rows
 * in memory and writes them just before COMMIT (db/group-appends.ts).
 */
export interface FeedEntry {
  readonly change: Change;
  /** The batch a batch/code change belongs to (filters by store scope); null for catalog rows. */
  readonly batchId: string | null;
}

export async function appendChanges(
  w: WriteTx,
  entries: readonly FeedEntry[],
  at: string,
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    batch_id: e.batchId,
    doc: JSON.stringify(e.change),
    created_at: at,
  }));
  if (w.appends.dialect === 'sqlite') {
    for (const seq of await w.appends.addChanges(rows)) w.moved(seq);
    return;
  }
  // PostgreSQL: numbered under the append lock when the commit group flushes.
  w.appends.addChanges(rows);
}

/** The latest sequence number of the feed (0 when empty). */
export async function feedHead(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** Whether a batch's store scope includes a store (directly or through one of its groups). */
export function batchReaches(batch: Batch, storeId: string, groupIds: readonly string[]): boolean {
  if (batch.stores.type === 'all') return true;
  const scope = batch.stores;
  return (
    scope.storeIds.some((s) => s === storeId) || scope.groupIds.some((g) => groupIds.includes(g))
  );
}

/** Ids of the batches a store may see. */
export async function visibleBatchIds(
  db: Kysely<Database>,
  storeId: string,
  groupIds: readonly string[],
): Promise<string[]> {
  const rows = await db.selectFrom('batches').select(['id', 'doc']).execute();
  return rows
    .filter((r) => batchReaches(JSON.parse(r.doc) as Batch, storeId, groupIds))
    .map((r) => r.id);
}

/**
 * One page for a terminal: catalog rows plus the rows of batches in its
 * store's scope, in feed order. The page's documents are already JSON, so the
 * body is assembled from stored text instead of parsed and re-serialised.
 */
export async function readChangesPage(
  db: Kysely<Database>,
  since: number,
  limit: number,
  visible: readonly string[],
  epoch: string,
): Promise<string> {
  const rows = await db
    .selectFrom('changes')
    .select(['seq', 'doc'])
    .where('seq', '>', since)
    .where((eb) =>
      visible.length === 0
        ? eb('batch_id', 'is', null)
        : eb.or([eb('batch_id', 'is', null), eb('batch_id', 'in', [...visible])]),
    )
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  const cursor = encodeCursor(last === undefined ? since : Number(last.seq), epoch);
  const body: Omit<ChangesPage, 'changes'> = { cursor, hasMore };
  return `{"changes":[${page.map((r) => r.doc).join(',')}],"cursor":${JSON.stringify(body.cursor)},"hasMore":${String(body.hasMore)}}`;
}
