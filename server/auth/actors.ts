import type { Role } from '../../core/protocol';
import { prepared, type Queryable, type Slots } from '../db/prepared';
import { HttpError } from '../http/errors';
import { hashToken } from './secrets';
import type { TerminalCache, TerminalRow } from './terminal-cache';

/** A paired terminal, and the cashier logged in on it when the request named one. */
export interface TerminalActor {
  readonly kind: 'terminal';
  readonly terminalId: string;
  readonly storeId: string;
  readonly timeZone: string;
  readonly groupIds: readonly string[];
  readonly cashierId: string | null;
}

/** A logged-in user (manager console or cashier session). */
export interface UserActor {
  readonly kind: 'user';
  readonly userId: string;
  readonly role: Role;
  readonly storeId: string | null;
}

/** A user actor that also names its session, for the calls that act on the session itself (logout). */
export interface SessionActor extends UserActor {
  readonly sessionTokenHash: string;
}

/** Runs on every terminal request, so compiled once (db/prepared.ts). */
const selectTerminal = prepared((db, p: Slots<{ tokenHash: string }>) =>
  db
    .selectFrom('terminals')
    .innerJoin('stores', 'stores.id', 'terminals.store_id')
    .select([
      'terminals.id',
      'terminals.store_id',
      'terminals.revoked_at',
      'stores.time_zone',
      'stores.group_ids',
    ])
    .where('terminals.token_hash', '=', p('tokenHash')),
);

const selectSession = prepared((db, p: Slots<{ tokenHash: string }>) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.role', 'users.store_id', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', p('tokenHash')),
);

/** Where a terminal look-up reads: the storage's Reader, through the server's TerminalCache. */
export interface TerminalSource {
  readonly db: Queryable;
  readonly cache: TerminalCache;
}

/**
 * The terminal behind a token, and the cashier of `cashierSession` when one
 * was sent; 401 when the token is unknown or the terminal was unpaired.
 * Pass the storage's Reader: it is the look-up of every terminal request.
 * `now` is asked only to check a cashier session's expiry (most terminal
 * requests carry none; reading the clock is a measurable part of a redemption).
 */
export async function terminalFromToken(
  source: TerminalSource,
  token: string,
  cashierSession: string | null,
  now: () => string,
): Promise<TerminalActor> {
  const tokenHash = hashToken(token);
  const row = await source.cache.get(
    tokenHash,
    async (): Promise<TerminalRow | undefined> =>
      (await selectTerminal(source.db, { tokenHash })).rows[0],
  );
  if (!row || row.revoked_at !== null)
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      'This terminal token is not recognised (unknown, or the terminal was unpaired); pair the terminal again with a new pairing code.',
    );
  let cashierId: string | null = null;
  if (cashierSession !== null) {
    const user = await userFromToken(source.db, cashierSession, now());
    if (user.storeId !== row.store_id)
      throw new HttpError(
        403,
        'WRONG_STORE',
        'The cashier session belongs to another store; log in again on this terminal.',
      );
    cashierId = user.userId;
  }
  return {
    kind: 'terminal',
    terminalId: row.id,
    storeId: row.store_id,
    timeZone: row.time_zone,
    groupIds: JSON.parse(row.group_ids) as string[],
    cashierId,
  };
}

/** The user behind a session token; 401 when unknown (or ended), TOKEN_EXPIRED when expired. */
export async function userFromToken(db: Queryable, token: string, now: string): Promise<UserActor> {
  const row = (await selectSession(db, { tokenHash: hashToken(token) })).rows[0];
  if (!row)
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      'This session token is not recognised (unknown, or the session was ended); log in again.',
    );
  if (row.expires_at <= now)
    throw new HttpError(401, 'TOKEN_EXPIRED', 'The session has expired; log in again.');
  return { kind: 'user', userId: row.id, role: row.role as Role, storeId: row.store_id };
}

/**
 * Managers only, and a store manager only for their own store. Pass the
 * store the call touches, or null for chain-wide configuration.
 */
export function requireManager(actor: UserActor, storeId: string | null): void {
  switch (actor.role) {
    case 'chain_manager':
      return;
    case 'store_manager':
      if (storeId !== null && storeId === actor.storeId) return;
      throw new HttpError(
        403,
        'FORBIDDEN',
        storeId === null
          ? 'Only a chain manager can change chain-wide settings.'
          : 'A store manager can only act for their own store.',
      );
    case 'cashier':
      throw new HttpError(
        403,
        'FORBIDDEN',
        'Cashiers cannot use manager functions; ask a manager to log in.',
      );
  }
}

/** Refuses cashiers; a store manager passes (the call then holds them to their store). */
export function requireAnyManager(actor: UserActor): void {
  if (actor.role === 'cashier') requireManager(actor, null);
}
