import { randomBytes } from 'node:crypto';
import type { BatchId, StoreId } from '../../core/ids';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  ClaimPagesPage,
  ClaimPagesQuery,
  ClaimPageView,
  PublishClaimPage,
} from '../../core/protocol';
import { appendAudit } from '../audit/chain';
import { requireManager, type UserActor } from '../auth/actors';
import { loadBatch } from '../catalog/batches';
import type { ClaimPageTable, Database } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';

export function claimPageView(row: ClaimPageTable): ClaimPageView {
  return {
    id: row.id,
    batchId: row.batch_id as BatchId,
    storeId: row.store_id as StoreId,
    title: row.title,
    totalStock: Number(row.total_stock),
    dailyStock: row.daily_stock === null ? null : Number(row.daily_stock),
    perCustomer: Number(row.per_customer),
    claimed: Number(row.claimed),
    path: `/claim/${row.id}`,
    posterPath: `/claim/${row.id}/poster`,
  };
}

/** Publishes a page; its id is random, so pages cannot be found by counting. */
export async function publishClaimPage(
  w: WriteTx,
  actor: UserActor,
  body: z.output<typeof PublishClaimPage>,
  now: string,
): Promise<ClaimPageView> {
  await loadBatch(w, body.batchId);
  const store = await w.trx
    .selectFrom('stores')
    .select('id')
    .where('id', '=', body.storeId)
    .executeTakeFirst();
  if (!store) throw new HttpError(404, 'NOT_FOUND', `There is no store ${body.storeId}.`);
  const row: ClaimPageTable = {
    id: randomBytes(9).toString('base64url'),
    batch_id: body.batchId,
    store_id: body.storeId,
    title: body.title,
    total_stock: body.totalStock,
    daily_stock: body.dailyStock,
    per_customer: body.perCustomer,
    claimed: 0,
    created_by: actor.userId,
    created_at: now,
  };
  await w.trx.insertInto('claim_pages').values(row).execute();
  await appendAudit(
    w,
    {
      actor: actor.userId,
      terminalId: null,
      storeId: body.storeId,
      action: 'claim_page.published',
      subject: `claim_page:${row.id}`,
      before: null,
      after: { ...body },
    },
    now,
  );
  return claimPageView(row);
}

/**
 * A page of published claim pages, newest first (a store manager gets their own store's). The
 * cursor is the last page's creation time and id: ids are random, so time orders them.
 */
export async function claimPagesPage(
  db: Kysely<Database>,
  user: UserActor,
  q: ClaimPagesQuery,
): Promise<ClaimPagesPage> {
  requireManager(user, user.role === 'chain_manager' ? null : user.storeId);
  let query = db.selectFrom('claim_pages').selectAll();
  if (user.role !== 'chain_manager') query = query.where('store_id', '=', user.storeId ?? '');
  if (q.batchId) query = query.where('batch_id', '=', q.batchId);
  if (q.after) {
    const [at = '', id = ''] = q.after.split(' ');
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    pages: page.map(claimPageView),
    next: rows.length > q.limit && last ? `${last.created_at} ${last.id}` : null,
  };
}
