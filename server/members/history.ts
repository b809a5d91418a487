import type { Kysely } from 'kysely';
import type { BatchId, ClientId, StoreId, TerminalId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type {
  MemberClaim,
  MemberClaimsPage,
  MemberHistoryQuery,
  MemberRedemptionsPage,
  MemberSalesPage,
  SaleState,
} from '../../core/protocol';
import type { UserActor } from '../auth/actors';
import type { Database } from '../db/schema';
import { HttpError } from '../http/errors';
import { reviewScope } from '../review/scope';

type Db = Pick<Kysely<Database>, 'selectFrom'>;

/**
 * A member's claims, redemptions and sales, newest first, paged by an opaque cursor
 * (`time|key` of the last row). A store manager sees those of their own store only.
 */

interface Cursor {
  readonly at: string;
  readonly key: string;
}

function cursorOf(after: string | undefined): Cursor | null {
  if (after === undefined) return null;
  const cut = after.indexOf('|');
  if (cut < 1)
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'The page cursor is not one this server gave; start from the first page.',
    );
  return { at: after.slice(0, cut), key: after.slice(cut + 1) };
}

function page<R>(
  rows: R[],
  limit: number,
  cursor: (r: R) => string,
): { rows: R[]; next: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { rows: shown, next: rows.length > limit && last !== undefined ? cursor(last) : null };
}

async function known(db: Db, id: string): Promise<void> {
  const row = await db.selectFrom('members').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new HttpError(404, 'NOT_FOUND', `There is no member ${id}; check the id.`);
}

export async function memberRedemptions(
  db: Db,
  user: UserActor,
  id: string,
  q: MemberHistoryQuery,
): Promise<MemberRedemptionsPage> {
  const storeId = reviewScope(user, undefined);
  await known(db, id);
  const after = cursorOf(q.after);
  let query = db
    .selectFrom('redemptions')
    .select([
      'id',
      'code',
      'batch_id',
      'store_id',
      'terminal_id',
      'status',
      'discount_fen',
      'at',
      'sale_id',
    ])
    .where('customer_id', '=', id);
  if (storeId !== null) query = query.where('store_id', '=', storeId);
  if (after)
    query = query.where((eb) =>
      eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.key)])]),
    );
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const p = page(rows, q.limit, (r) => `${r.at}|${r.id}`);
  return {
    redemptions: p.rows.map((r) => ({
      id: r.id as ClientId,
      code: r.code,
      batchId: r.batch_id as BatchId | null,
      storeId: r.store_id as StoreId,
      terminalId: r.terminal_id as TerminalId,
      status: r.status,
      discountFen: Number(r.discount_fen) as Fen,
      at: r.at,
      saleId: r.sale_id as ClientId | null,
    })),
    next: p.next,
  };
}

export async function memberSales(
  db: Db,
  user: UserActor,
  id: string,
  q: MemberHistoryQuery,
): Promise<MemberSalesPage> {
  const storeId = reviewScope(user, undefined);
  await known(db, id);
  const after = cursorOf(q.after);
  let query = db
    .selectFrom('sales')
    .select([
      'id',
      'terminal_id',
      'store_id',
      'state',
      'at',
      'subtotal_fen',
      'discount_fen',
      'due_fen',
    ])
    .where('customer_id', '=', id);
  if (storeId !== null) query = query.where('store_id', '=', storeId);
  if (after) {
    // Sale ids are the tills' UUIDs: the key is the terminal and the id, as the primary key.
    const [terminal = '', sale = ''] = after.key.split('/');
    query = query.where((eb) =>
      eb.or([
        eb('at', '<', after.at),
        eb.and([
          eb('at', '=', after.at),
          eb.or([
            eb('terminal_id', '<', terminal),
            eb.and([eb('terminal_id', '=', terminal), eb('id', '<', sale)]),
          ]),
        ]),
      ]),
    );
  }
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('terminal_id', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const p = page(rows, q.limit, (r) => `${r.at}|${r.terminal_id}/${r.id}`);
  return {
    sales: p.rows.map((r) => ({
      id: r.id as ClientId,
      storeId: r.store_id as StoreId,
      terminalId: r.terminal_id as TerminalId,
      state: r.state as SaleState,
      at: r.at,
      subtotalFen: Number(r.subtotal_fen) as Fen,
      discountFen: Number(r.discount_fen) as Fen,
      dueFen: Number(r.due_fen) as Fen,
    })),
    next: p.next,
  };
}

/**
 * The claims made with a device key of the member's: a key is theirs once a code claimed with
 * it was redeemed (accepted) for them. A store manager sees the claims on their store's pages.
 */
export async function memberClaims(
  db: Db,
  user: UserActor,
  id: string,
  q: MemberHistoryQuery,
): Promise<MemberClaimsPage> {
  const storeId = reviewScope(user, undefined);
  await known(db, id);
  const after = cursorOf(q.after);
  const devices = db
    .selectFrom('redemptions')
    .innerJoin('claims', 'claims.code', 'redemptions.code')
    .select('claims.customer')
    .where('redemptions.customer_id', '=', id)
    .where('redemptions.status', '=', 'accepted');
  let query = db
    .selectFrom('claims')
    .innerJoin('claim_pages', 'claim_pages.id', 'claims.page_id')
    .innerJoin('codes', 'codes.code', 'claims.code')
    .select([
      'claims.code',
      'claims.batch_id',
      'claims.page_id',
      'claim_pages.title',
      'claim_pages.store_id',
      'claims.claimed_at',
      'codes.state',
    ])
    .where('claims.customer', 'in', devices);
  if (storeId !== null) query = query.where('claim_pages.store_id', '=', storeId);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('claims.claimed_at', '<', after.at),
        eb.and([eb('claims.claimed_at', '=', after.at), eb('claims.code', '<', after.key)]),
      ]),
    );
  const rows = await query
    .orderBy('claims.claimed_at', 'desc')
    .orderBy('claims.code', 'desc')
    .limit(q.limit + 1)
    .execute();
  const p = page(rows, q.limit, (r) => `${r.claimed_at}|${r.code}`);
  return {
    claims: p.rows.map((r) => ({
      code: r.code,
      batchId: r.batch_id as BatchId,
      pageId: r.page_id,
      pageTitle: r.title,
      storeId: r.store_id as StoreId,
      claimedAt: r.claimed_at,
      codeState: r.state as MemberClaim['codeState'],
    })),
    next: p.next,
  };
}
