import type { Kysely } from 'kysely';
import type { StoreId, TerminalId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type {
  TerminalList,
  TerminalStatus,
  TerminalsQuery,
  TerminalView,
} from '../../core/protocol';
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

/**
 * A page of the tills the user may manage (a store manager: their store's), in id order, each
 * with its last request, its current lease and what it has pushed from its offline queue.
 */
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
  if (q.after) query = query.where('terminals.id', '>', q.after);
  const rows = await query
    .orderBy('terminals.id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const ids = page.map((r) => r.id);
  const status = await terminalStatus(db, ids);
  return {
    terminals: page.map((r) => ({
      ...view(r, Number(r.pin_failures ?? 0), ctx.limits.pinFailuresBeforeLock),
      lastSeenAt: r.last_seen_at,
      allowance: status.leases.get(r.id) ?? null,
      queuedRedemptions: status.queued.get(r.id) ?? 0,
      conflicts: status.conflicts.get(r.id) ?? 0,
    })),
    next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** For a page of tills: the current lease of each, and its pushed offline redemptions and conflicts. */
async function terminalStatus(db: Kysely<Database>, ids: readonly string[]) {
  const leases = new Map<string, TerminalStatus['allowance']>();
  const queued = new Map<string, number>();
  const conflicts = new Map<string, number>();
  if (ids.length === 0) return { leases, queued, conflicts };
  const current = await db
    .selectFrom('leases')
    .selectAll()
    .where('terminal_id', 'in', [...ids])
    .where('replaced_at', 'is', null)
    .execute();
  for (const l of current)
    leases.set(l.terminal_id, {
      maxCount: Number(l.max_count),
      usedCount: Number(l.used_count),
      maxValueFen: Number(l.max_value_fen) as Fen,
      usedValueFen: Number(l.used_value_fen) as Fen,
      expiresAt: l.expires_at,
    });
  const offline = await db
    .selectFrom('redemptions')
    .select(['terminal_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('terminal_id', 'in', [...ids])
    .where('lease_id', 'is not', null)
    .groupBy('terminal_id')
    .execute();
  for (const r of offline) queued.set(r.terminal_id, Number(r.n));
  const refused = await db
    .selectFrom('conflicts')
    .select(['terminal_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('terminal_id', 'in', [...ids])
    .groupBy('terminal_id')
    .execute();
  for (const r of refused) conflicts.set(r.terminal_id, Number(r.n));
  return { leases, queued, conflicts };
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
