import type { Kysely } from 'kysely';
import type { StoreId, TerminalId } from '../../core/ids';
import type { TerminalList, TerminalsQuery, TerminalView } from '../../core/protocol';
import { appendAudit } from '../audit/chain';
import type { AppContext } from '../context';
import type { Database, TerminalTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { forgetTillQueue, tillQueueOf } from '../ops/till-queues';
import { reviewScope } from '../review/scope';
import { requireManager, type UserActor } from './actors';
import { resetCount } from './limits';

/** A store's tills as a manager manages them. */

function view(row: TerminalTable, pinFailures: number, lockAt: number): TerminalView {
  const queue = tillQueueOf(row.id);
  return {
    id: row.id as TerminalId,
    storeId: row.store_id as StoreId,
    name: row.name,
    pairedAt: row.paired_at,
    revokedAt: row.revoked_at,
    pinLocked: pinFailures >= lockAt,
    ...(queue && row.revoked_at === null ? { queue } : {}),
  };
}

/** The tills the user may manage (a store manager: their store's), oldest first. */
export async function listTerminals(
  ctx: AppContext,
  user: UserActor,
  q: TerminalsQuery,
): Promise<TerminalList> {
  const storeId = reviewScope(user, q.storeId);
  const db: Kysely<Database> = ctx.storage.db;
  let query = db
    .selectFrom('terminals')
    .leftJoin('auth_limits', (join) =>
      join
        .onRef('auth_limits.subject', '=', 'terminals.id')
        .on('auth_limits.what', '=', 'pin_failures'),
    )
    .selectAll('terminals')
    .select('auth_limits.count as pin_failures');
  if (storeId !== null) query = query.where('terminals.store_id', '=', storeId);
  const rows = await query.orderBy('terminals.paired_at').orderBy('terminals.id').execute();
  return {
    terminals: rows.map((r) =>
      view(r, Number(r.pin_failures ?? 0), ctx.limits.pinFailuresBeforeLock),
    ),
  };
}

/** The terminal, if this manager may act on it (404 for one they may not even see). */
async function managedTerminal(w: WriteTx, user: UserActor, id: string): Promise<TerminalTable> {
  const row = await w.trx
    .selectFrom('terminals')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || (user.role !== 'chain_manager' && row.store_id !== user.storeId))
    throw new HttpError(404, 'NOT_FOUND', `There is no terminal ${id} in the stores you manage.`);
  requireManager(user, row.store_id);
  return row;
}

/** Ends a PIN lock-out: the terminal's run of wrong PINs starts again at zero. Audited. */
export async function unlockPin(
  ctx: AppContext,
  user: UserActor,
  id: string,
  now: string,
): Promise<TerminalView> {
  return ctx.storage.write(async (w) => {
    const row = await managedTerminal(w, user, id);
    const attempts = await resetCount(w, 'pin_failures', id);
    await appendAudit(
      w,
      {
        actor: user.userId,
        terminalId: null,
        storeId: row.store_id,
        action: 'terminal.pin_unlocked',
        subject: `terminal:${id}`,
        // Attempts refused while locked count too: the manager sees that someone kept trying.
        before: { pinAttemptsSinceLogin: attempts },
        after: { pinAttemptsSinceLogin: 0 },
      },
      now,
    );
    return view(row, 0, ctx.limits.pinFailuresBeforeLock);
  });
}

/**
 * Unpairs a till: its token is refused from the next request on (every
 * request looks the terminal up), and the cashier sessions opened on it end.
 * Unpairing again changes nothing. Audited.
 */
export async function unpairTerminal(
  ctx: AppContext,
  user: UserActor,
  id: string,
  now: string,
): Promise<TerminalView> {
  return ctx.storage.write(async (w) => {
    const row = await managedTerminal(w, user, id);
    if (row.revoked_at !== null) return view(row, 0, ctx.limits.pinFailuresBeforeLock);
    await w.trx.updateTable('terminals').set({ revoked_at: now }).where('id', '=', id).execute();
    w.authChanged();
    const ended = await w.trx.deleteFrom('sessions').where('terminal_id', '=', id).execute();
    await resetCount(w, 'pin_failures', id);
    await appendAudit(
      w,
      {
        actor: user.userId,
        terminalId: null,
        storeId: row.store_id,
        action: 'terminal.unpaired',
        subject: `terminal:${id}`,
        before: { revokedAt: null },
        after: {
          revokedAt: now,
          sessionsEnded: ended.reduce((n, r) => n + Number(r.numDeletedRows), 0),
        },
      },
      now,
    );
    forgetTillQueue(id);
    return view({ ...row, revoked_at: now }, 0, ctx.limits.pinFailuresBeforeLock);
  });
}
