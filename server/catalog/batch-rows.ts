import type { Kysely } from 'kysely';
import type { StoreGroupId, StoreId, UserId } from '../../core/ids';
import type { BatchesPage, BatchesQuery, BatchRow } from '../../core/protocol';
import type { Batch } from '../../core/vouchers';
import { requireManager, type UserActor } from '../auth/actors';
import type { Database } from '../db/schema';
import { HttpError } from '../http/errors';

type Db = Pick<Kysely<Database>, 'selectFrom'>;

/** Rows scanned per round while filling a page with filters SQL cannot apply (kind, store). */
const SCAN_CHUNK = 200;

interface StoredBatch {
  readonly id: string;
  readonly doc: string;
  readonly version: number;
  readonly updated_by: string | null;
  readonly updated_at: string | null;
}

/** Whether a batch may be redeemed at a store in these groups (core's cross-store rule). */
function reaches(batch: Batch, storeId: string, groupIds: readonly string[]): boolean {
  const scope = batch.stores;
  if (scope.type === 'all') return true;
  return (
    scope.storeIds.includes(storeId as StoreId) ||
    scope.groupIds.some((g) => groupIds.includes(g as StoreGroupId))
  );
}

async function storeGroups(db: Db, storeId: string): Promise<string[]> {
  const row = await db
    .selectFrom('stores')
    .select('group_ids')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!row) throw new HttpError(404, 'NOT_FOUND', `There is no store ${storeId}; check the id.`);
  return JSON.parse(row.group_ids) as string[];
}

/** Issued and redeemed counts of the listed batches, one grouped query. */
async function countsOf(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { issued: number; redeemed: number }>> {
  const counts = new Map<string, { issued: number; redeemed: number }>();
  if (ids.length === 0) return counts;
  const rows = await db
    .selectFrom('codes')
    .select((eb) => [
      'batch_id',
      eb.fn.countAll().as('issued'),
      eb.fn.sum(eb.case().when('state', '=', 'redeemed').then(1).else(0).end()).as('redeemed'),
    ])
    .where('batch_id', 'in', ids)
    .groupBy('batch_id')
    .execute();
  for (const r of rows)
    counts.set(r.batch_id, { issued: Number(r.issued), redeemed: Number(r.redeemed ?? 0) });
  return counts;
}

function rowOf(r: StoredBatch, counts: { issued: number; redeemed: number } | undefined): BatchRow {
  return {
    batch: JSON.parse(r.doc) as Batch,
    version: Number(r.version),
    issued: counts?.issued ?? 0,
    redeemed: counts?.redeemed ?? 0,
    updatedBy: r.updated_by as UserId | null,
    updatedAt: r.updated_at,
  };
}

/**
 * One page of batches in id order. State and text filter in SQL; kind and store (the scope is
 * inside the document) filter while scanning, a chunk at a time, so memory stays bounded. A
 * store manager sees only the batches their store may redeem.
 */
export async function batchesPage(db: Db, user: UserActor, q: BatchesQuery): Promise<BatchesPage> {
  requireManager(user, user.role === 'chain_manager' ? null : (q.storeId ?? user.storeId));
  const storeId = user.role === 'chain_manager' ? (q.storeId ?? null) : user.storeId;
  const groups = storeId === null ? [] : await storeGroups(db, storeId);
  const found: StoredBatch[] = [];
  let after = q.after ?? '';
  for (;;) {
    let query = db
      .selectFrom('batches')
      .select(['id', 'doc', 'version', 'updated_by', 'updated_at'])
      .where('id', '>', after);
    if (q.state) query = query.where('state', '=', q.state);
    if (q.q) {
      // A bound value; its own % and _ only widen the match.
      const pattern = `%${q.q}%`;
      query = query.where((eb) =>
        eb.or([eb('id', 'like', eb.val(pattern)), eb('doc', 'like', eb.val(pattern))]),
      );
    }
    const chunk = await query.orderBy('id').limit(SCAN_CHUNK).execute();
    for (const r of chunk) {
      const batch = JSON.parse(r.doc) as Batch;
      if (q.kind && batch.benefit.kind !== q.kind) continue;
      if (storeId !== null && !reaches(batch, storeId, groups)) continue;
      found.push(r);
      if (found.length > q.limit) break;
    }
    const last = chunk.at(-1);
    if (found.length > q.limit || chunk.length < SCAN_CHUNK || !last) break;
    after = last.id;
  }
  const page = found.slice(0, q.limit);
  const counts = await countsOf(
    db,
    page.map((r) => r.id),
  );
  return {
    batches: page.map((r) => rowOf(r, counts.get(r.id))),
    next: found.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** One batch with its version; a store manager only one their store may redeem. */
export async function batchRow(db: Db, user: UserActor, id: string): Promise<BatchRow> {
  const r = await db
    .selectFrom('batches')
    .select(['id', 'doc', 'version', 'updated_by', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw new HttpError(404, 'NOT_FOUND', `There is no batch ${id}; check the id.`);
  if (user.role !== 'chain_manager') {
    requireManager(user, user.storeId);
    const batch = JSON.parse(r.doc) as Batch;
    if (user.storeId === null || !reaches(batch, user.storeId, await storeGroups(db, user.storeId)))
      throw new HttpError(
        403,
        'FORBIDDEN',
        `Batch ${id} does not apply to your store; a store manager sees only the batches their store may redeem.`,
      );
  }
  return rowOf(r, (await countsOf(db, [id])).get(id));
}
