import type { StoreId, UserId } from '../../core/ids';
import type { PasswordLoginRequest, Role, Session } from '../../core/protocol';
import type { AppContext } from '../context';
import type { UserTable } from '../db/schema';
import { HttpError } from '../http/errors';
import type { TerminalActor } from './actors';
import { countAttempt, LimitError, resetCount, tooMany, type LimitKind } from './limits';
import { hashSecret, hashToken, newToken, pinLookup, verifySecret } from './secrets';

const CASHIER_HOURS = 12;
const MANAGER_HOURS = 8;

export type LoginUser = Pick<UserTable, 'id' | 'name' | 'role' | 'store_id'>;

// Compared against when the username is unknown, so a miss costs as much as a wrong password.
let dummyHash: Promise<string> | null = null;

/**
 * A cashier's PIN on a paired terminal: a session for the cashier of that
 * store whose PIN it is. Attempts are counted per terminal before the PIN is
 * checked: a rate per minute, and a run of failures that locks PIN sign-in
 * on the terminal (CASHIER_LOCKED) until a success resets it (possible only
 * before the lock) or a manager unlocks it. A login names no cashier, only a
 * PIN, so the terminal the guesses come from is what locks.
 */
export async function loginWithPin(
  ctx: AppContext,
  terminal: TerminalActor,
  pin: string,
  now: string,
): Promise<Session> {
  const { limits } = ctx;
  const gate = await ctx.storage.write(async (w) => {
    const rate = await countAttempt(
      w,
      'pin_attempts',
      terminal.terminalId,
      { max: limits.loginPerMinute, windowMs: 60_000 },
      now,
    );
    if (rate.over) return { rate, failures: null };
    const failures = await countAttempt(
      w,
      'pin_failures',
      terminal.terminalId,
      { max: limits.pinFailuresBeforeLock, windowMs: null },
      now,
    );
    return { rate, failures };
  });
  if (!gate.failures) throw tooMany('login attempts', gate.rate);
  if (gate.failures.over) throw pinLocked(limits.pinFailuresBeforeLock);
  const row = await ctx.storage.db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'store_id', 'pin_hash'])
    .where('pin_lookup', '=', pinLookup(ctx.keys.pinPepper, terminal.storeId, pin))
    // A disabled cashier's PIN is refused like an unknown one.
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row?.pin_hash || !(await verifySecret(pin, row.pin_hash))) {
    const left = limits.pinFailuresBeforeLock - gate.failures.count;
    throw new HttpError(
      401,
      'LOGIN_FAILED',
      left > 0
        ? `This PIN does not belong to a cashier of this store; check it and try again (${left} ${left === 1 ? 'try' : 'tries'} left before PIN sign-in on this till locks).`
        : 'This PIN does not belong to a cashier of this store, and PIN sign-in on this till is now locked; a manager must unlock it in the console.',
    );
  }
  return openSession(ctx, row, terminal.terminalId, CASHIER_HOURS, now, [
    ['pin_failures', terminal.terminalId],
  ]);
}

function pinLocked(after: number): LimitError {
  return new LimitError(
    423,
    'CASHIER_LOCKED',
    `PIN sign-in on this till is locked after ${after} wrong PINs in a row; a store or chain manager must unlock it (POST /v1/manager/terminals/:id/unlock-pin) before anyone can log in here.`,
    null,
  );
}

/**
 * A manager's username and password (cashiers log in by PIN only). Counted
 * before the password is checked: attempts per client address per minute,
 * and failures per user name, which refuse that name for a while once they
 * reach the limit; a success resets the name's failures.
 */
export async function loginWithPassword(
  ctx: AppContext,
  body: PasswordLoginRequest,
  address: string,
  now: string,
): Promise<Session> {
  const row = await checkManagerPassword(ctx, body, address, now);
  return openSession(ctx, row, null, MANAGER_HOURS, now, [['password_failures', body.username]]);
}

/**
 * A manager's username and password checked with the password login's limits (attempts per
 * address, failures per username), without opening a session: the login and a manager's approval
 * at a till (auth/approval.ts) share the budget, so approvals are no way around the lock. The
 * caller resets the name's failures on success.
 */
export async function checkManagerPassword(
  ctx: AppContext,
  body: Pick<PasswordLoginRequest, 'username' | 'password'>,
  address: string,
  now: string,
): Promise<LoginUser> {
  const { limits } = ctx;
  const gate = await ctx.storage.write(async (w) => {
    const rate = await countAttempt(
      w,
      'login_attempts',
      address,
      { max: limits.loginPerMinute, windowMs: 60_000 },
      now,
    );
    if (rate.over) return { rate, failures: null };
    const failures = await countAttempt(
      w,
      'password_failures',
      body.username,
      { max: limits.passwordFailuresBeforeLock, windowMs: limits.passwordLockMinutes * 60_000 },
      now,
    );
    return { rate, failures };
  });
  if (!gate.failures) throw tooMany('login attempts from this address', gate.rate);
  if (gate.failures.over)
    throw tooMany(
      `failed logins for ${body.username} (${limits.passwordFailuresBeforeLock} in a row)`,
      gate.failures,
    );
  const row = await ctx.storage.db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'store_id', 'password_hash'])
    .where('username', '=', body.username)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  dummyHash ??= hashSecret('tillpoint-no-such-user');
  const matches = await verifySecret(body.password, row?.password_hash ?? (await dummyHash));
  if (!row?.password_hash || !matches || row.role === 'cashier')
    throw new HttpError(
      401,
      'LOGIN_FAILED',
      'The username or password is wrong; check both and try again.',
    );
  return { id: row.id, name: row.name, role: row.role, store_id: row.store_id };
}

async function openSession(
  ctx: AppContext,
  user: LoginUser,
  terminalId: string | null,
  hours: number,
  now: string,
  /** The failure counts this success resets, in the same transaction as the session. */
  resets: readonly (readonly [LimitKind, string])[],
): Promise<Session> {
  const token = newToken();
  const expiresAt = new Date(Date.parse(now) + hours * 3_600_000).toISOString();
  await ctx.storage.write(async (w) => {
    for (const [what, subject] of resets) await resetCount(w, what, subject);
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
