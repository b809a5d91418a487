import type { StoreId, UserId } from '../../core/ids';
import type { PasswordLoginRequest, Role, Session } from '../../core/protocol';
import type { AppContext } from '../context';
import type { UserTable } from '../db/schema';
import { HttpError } from '../http/errors';
import type { TerminalActor } from './actors';
import { hashSecret, hashToken, newToken, pinLookup, verifySecret } from './secrets';

const CASHIER_HOURS = 12;
const MANAGER_HOURS = 8;

type LoginUser = Pick<UserTable, 'id' | 'name' | 'role' | 'store_id'>;

// Compared against when the username is unknown, so a miss costs as much as a wrong password.
let dummyHash: Promise<string> | null = null;

/** A cashier's PIN on a paired terminal: a session for the cashier of that store whose PIN it is. */
export async function loginWithPin(
  ctx: AppContext,
  terminal: TerminalActor,
  pin: string,
  now: string,
): Promise<Session> {
  const row = await ctx.storage.db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'store_id', 'pin_hash'])
    .where('pin_lookup', '=', pinLookup(ctx.keys.pinPepper, terminal.storeId, pin))
    .executeTakeFirst();
  if (!row?.pin_hash || !(await verifySecret(pin, row.pin_hash)))
    throw new HttpError(
      401,
      'LOGIN_FAILED',
      'This PIN does not belong to a cashier of this store; check it and try again.',
    );
  return openSession(ctx, row, terminal.terminalId, CASHIER_HOURS, now);
}

/** A manager's username and password (cashiers log in by PIN only). */
export async function loginWithPassword(
  ctx: AppContext,
  body: PasswordLoginRequest,
  now: string,
): Promise<Session> {
  const row = await ctx.storage.db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'store_id', 'password_hash'])
    .where('username', '=', body.username)
    .executeTakeFirst();
  dummyHash ??= hashSecret('tillpoint-no-such-user');
  const matches = await verifySecret(body.password, row?.password_hash ?? (await dummyHash));
  if (!row?.password_hash || !matches || row.role === 'cashier')
    throw new HttpError(
      401,
      'LOGIN_FAILED',
      'The username or password is wrong; check both and try again.',
    );
  return openSession(ctx, row, null, MANAGER_HOURS, now);
}

async function openSession(
  ctx: AppContext,
  user: LoginUser,
  terminalId: string | null,
  hours: number,
  now: string,
): Promise<Session> {
  const token = newToken();
  const expiresAt = new Date(Date.parse(now) + hours * 3_600_000).toISOString();
  await ctx.storage.write(async (w) => {
    await w.trx
      .insertInto('sessions')
      .values({
        token_hash: hashToken(token),
        user_id: user.id,
        terminal_id: terminalId,
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
  });
  return {
    token,
    user: {
      id: user.id as UserId,
      name: user.name,
      role: user.role as Role,
      storeId: user.store_id as StoreId | null,
    },
    expiresAt,
  };
}
