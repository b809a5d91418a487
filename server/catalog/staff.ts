import type { Kysely, Selectable } from 'kysely';
import type { StoreId, UserId } from '../../core/ids';
import type {
  Role,
  DisableUserRequest,
  EnableUserRequest,
  ResetPinRequest,
  UserRow,
  UsersPage,
  UsersQuery,
} from '../../core/protocol';
import { requireManager, type UserActor } from '../auth/actors';
import { hashSecret, pinLookup } from '../auth/secrets';
import { appendAudit } from '../audit/chain';
import type { Database, UserTable } from '../db/schema';
import type { Storage, WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { reviewScope } from '../review/scope';

type Db = Pick<Kysely<Database>, 'selectFrom'>;
type Row = Selectable<UserTable>;

function rowView(r: Row): UserRow {
  return {
    id: r.id as UserId,
    name: r.name,
    role: r.role as Role,
    storeId: r.store_id as StoreId | null,
    username: r.username,
    disabledAt: r.disabled_at,
    version: Number(r.version),
    updatedBy: r.updated_by as UserId | null,
    updatedAt: r.updated_at,
  };
}

/** A page of users in id order: a store manager's store only (another store is refused, 403). */
export async function usersPage(db: Db, user: UserActor, q: UsersQuery): Promise<UsersPage> {
  const storeId = reviewScope(user, q.storeId);
  let query = db.selectFrom('users').selectAll();
  if (storeId !== null) query = query.where('store_id', '=', storeId);
  if (q.after) query = query.where('id', '>', q.after);
  const rows = await query
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  return {
    users: page.map(rowView),
    next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * The user a manager changes: a store manager changes their store's cashiers only (403 for
 * anyone else), a chain manager anyone but themselves (so the chain keeps someone who can).
 * The version is checked as updateBatch checks a batch's; `retried` is the stored row of a
 * change that already went through with this requestId.
 */
async function editable(
  w: WriteTx,
  user: UserActor,
  id: string,
  request: { version: number; requestId: string },
): Promise<{ row: Row; retried: boolean }> {
  const row = await w.trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new HttpError(404, 'NOT_FOUND', `There is no user ${id}; check the id.`);
  requireManager(user, row.role === 'cashier' ? row.store_id : null);
  if (row.id === user.userId)
    throw new HttpError(403, 'FORBIDDEN', 'You cannot change your own account here.');
  const version = Number(row.version);
  if (row.last_request_id === request.requestId && version === request.version + 1)
    return { row, retried: true };
  if (version !== request.version)
    throw new HttpError(
      409,
      'VERSION_CONFLICT',
      `User ${id} was changed by ${row.updated_by ?? 'someone'} at ${row.updated_at ?? 'an unknown time'} (now version ${version}, your change was made on ${request.version}); reload and make your change again.`,
    );
  return { row, retried: false };
}

async function saveChange(
  w: WriteTx,
  user: UserActor,
  before: Row,
  set: Partial<Pick<Row, 'pin_lookup' | 'pin_hash' | 'disabled_at'>>,
  requestId: string,
  now: string,
): Promise<Row> {
  const after: Row = {
    ...before,
    ...set,
    version: Number(before.version) + 1,
    updated_by: user.userId,
    updated_at: now,
    last_request_id: requestId,
  };
  await w.trx
    .updateTable('users')
    .set({ ...set, version: after.version, updated_by: user.userId, updated_at: now })
    .set({ last_request_id: requestId })
    .where('id', '=', before.id)
    .where('version', '=', Number(before.version))
    .execute();
  // Whoever was signed in as them is signed out at once (sessions are read on every request).
  await w.trx.deleteFrom('sessions').where('user_id', '=', before.id).execute();
  return after;
}

/** Gives a cashier a new PIN; it must not be another cashier's of the same store. Audited. */
export async function resetPin(
  storage: Storage,
  pinPepper: string,
  user: UserActor,
  id: string,
  request: ResetPinRequest,
  now: string,
): Promise<UserRow> {
  const pinHash = await hashSecret(request.pin);
  return storage.write(async (w) => {
    const { row, retried } = await editable(w, user, id, request);
    if (retried) return rowView(row);
    if (row.role !== 'cashier' || row.store_id === null)
      throw new HttpError(
        400,
        'BAD_REQUEST',
        `${row.name} is a ${row.role.replace('_', ' ')}; only cashiers sign in with a PIN.`,
      );
    const lookup = pinLookup(pinPepper, row.store_id, request.pin);
    const clash = await w.trx
      .selectFrom('users')
      .select('id')
      .where('pin_lookup', '=', lookup)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (clash)
      throw new HttpError(
        409,
        'CONFLICT',
        'Another cashier of this store already uses this PIN; choose another PIN.',
      );
    const after = await saveChange(
      w,
      user,
      row,
      { pin_lookup: lookup, pin_hash: pinHash },
      request.requestId,
      now,
    );
    await appendAudit(
      w,
      {
        actor: user.userId,
        terminalId: null,
        storeId: row.store_id,
        action: 'user.pin_reset',
        subject: `user:${id}`,
        // Never the PIN or its hash: the entry says that it changed, and the version.
        before: { version: Number(row.version) },
        after: { version: after.version },
      },
      now,
    );
    return rowView(after);
  });
}

/** The user cannot sign in from now on and their sessions end; disabling again changes nothing. */
export const disableUser = (
  storage: Storage,
  user: UserActor,
  id: string,
  request: DisableUserRequest,
  now: string,
): Promise<UserRow> =>
  setDisabledAt(storage, user, id, request, now, now, { reason: request.reason ?? null });

/** A disabled user can sign in again; enabling one who is not disabled changes nothing. */
export const enableUser = (
  storage: Storage,
  user: UserActor,
  id: string,
  request: EnableUserRequest,
  now: string,
): Promise<UserRow> => setDisabledAt(storage, user, id, request, now, null, {});

/** Disables (at `disabledAt`) or enables (null) a user, audited with `why`; no change, no entry. */
function setDisabledAt(
  storage: Storage,
  user: UserActor,
  id: string,
  request: DisableUserRequest | EnableUserRequest,
  now: string,
  disabledAt: string | null,
  why: Record<string, unknown>,
): Promise<UserRow> {
  return storage.write(async (w) => {
    const { row, retried } = await editable(w, user, id, request);
    if (retried || (row.disabled_at === null) === (disabledAt === null)) return rowView(row);
    const after = await saveChange(
      w,
      user,
      row,
      { disabled_at: disabledAt },
      request.requestId,
      now,
    );
    await appendAudit(
      w,
      {
        actor: user.userId,
        terminalId: null,
        storeId: row.store_id,
        action: disabledAt === null ? 'user.enabled' : 'user.disabled',
        subject: `user:${id}`,
        before: { disabledAt: row.disabled_at, version: Number(row.version) },
        after: { disabledAt, version: after.version, ...why },
      },
      now,
    );
    return rowView(after);
  });
}
