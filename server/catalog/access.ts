import type {
  CreateUserRequest,
  PairingCodeRequest,
  PairingCodeResponse,
  UserView,
} from '../../core/protocol';
import type { StoreId, UserId } from '../../core/ids';
import { requireManager, type UserActor } from '../auth/actors';
import { hashSecret, hashToken, newPairingCode, pinLookup } from '../auth/secrets';
import { appendAudit } from '../audit/chain';
import type { Storage, WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { editorOf, type Editor } from './stores';

/** A manager's request for a pairing code: a store manager for their own store only. */
export function managerCreatesPairingCode(
  storage: Storage,
  user: UserActor,
  request: PairingCodeRequest,
  now: string,
): Promise<PairingCodeResponse> {
  requireManager(user, request.storeId);
  return createPairingCode(storage, editorOf(user), request.storeId, request.ttlHours, now);
}

/** A manager adds a user: a store manager adds cashiers of their store; managers are a chain manager's to add. */
export function managerCreatesUser(
  storage: Storage,
  pinPepper: string,
  user: UserActor,
  input: CreateUserRequest,
  now: string,
): Promise<UserView> {
  requireManager(user, input.role === 'chain_manager' ? null : input.storeId);
  if (input.role === 'store_manager') requireManager(user, null);
  return createUser(storage, pinPepper, editorOf(user), input, now);
}

/** Creates a one-time pairing code for a store; only its hash is stored. */
export async function createPairingCode(
  storage: Storage,
  editor: Editor,
  storeId: string,
  ttlHours: number,
  now: string,
): Promise<PairingCodeResponse> {
  const code = newPairingCode();
  const expiresAt = new Date(Date.parse(now) + ttlHours * 3_600_000).toISOString();
  await storage.write(async (w) => {
    await requireStore(w, storeId);
    await w.trx
      .insertInto('pairing_codes')
      .values({
        code_hash: hashToken(code),
        store_id: storeId,
        created_by: editor.actor,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
        terminal_id: null,
      })
      .execute();
    await appendAudit(
      w,
      {
        ...editor,
        storeId,
        action: 'pairing_code.created',
        subject: `store:${storeId}`,
        before: null,
        after: { expiresAt },
      },
      now,
    );
  });
  return { code, storeId: storeId as StoreId, expiresAt };
}

/** Creates a cashier (PIN) or a manager (username + password). Secrets are hashed before the write. */
export async function createUser(
  storage: Storage,
  pinPepper: string,
  editor: Editor,
  input: CreateUserRequest,
  now: string,
): Promise<UserView> {
  const storeId = input.role === 'chain_manager' ? null : input.storeId;
  const row = {
    id: input.id,
    name: input.name,
    role: input.role,
    store_id: storeId,
    username: input.role === 'cashier' ? null : input.username,
    password_hash: input.role === 'cashier' ? null : await hashSecret(input.password),
    pin_lookup: input.role === 'cashier' ? pinLookup(pinPepper, input.storeId, input.pin) : null,
    pin_hash: input.role === 'cashier' ? await hashSecret(input.pin) : null,
    created_at: now,
  };
  const view: UserView = {
    id: input.id as UserId,
    name: input.name,
    role: input.role,
    storeId: storeId as StoreId | null,
  };
  await storage.write(async (w) => {
    if (storeId !== null) {
      await requireStore(w, storeId);
    }
    const clash = await w.trx
      .selectFrom('users')
      .select(['id', 'username', 'pin_lookup'])
      .where((eb) =>
        eb.or([
          eb('id', '=', row.id),
          ...(row.username ? [eb('username', '=', row.username)] : []),
          ...(row.pin_lookup ? [eb('pin_lookup', '=', row.pin_lookup)] : []),
        ]),
      )
      .executeTakeFirst();
    if (clash) {
      const what =
        clash.id === row.id
          ? `a user with id ${row.id} already exists; choose another id`
          : clash.username !== null && clash.username === row.username
            ? `the username ${row.username} is taken; choose another`
            : 'another cashier of this store already uses this PIN; choose another PIN';
      throw new HttpError(409, 'CONFLICT', `Cannot create the user: ${what}.`);
    }
    await w.trx.insertInto('users').values(row).execute();
    await appendAudit(
      w,
      {
        ...editor,
        storeId,
        action: 'user.created',
        subject: `user:${row.id}`,
        before: null,
        after: view,
      },
      now,
    );
  });
  return view;
}

/** Pairing codes and users belong to a store that exists: a 404 that says so, before anything is written. */
async function requireStore(w: WriteTx, storeId: string): Promise<void> {
  const store = await w.trx
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store)
    throw new HttpError(404, 'NOT_FOUND', `There is no store ${storeId}; create it first.`);
}
