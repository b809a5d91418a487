import { liveQuery } from 'dexie';
import type { ClientId, Instant, TerminalId, VoucherCode } from '../../core/ids';
import type { CodeState } from '../../core/protocol/index';
import type { TillpointDb } from './db';
import { isoAt } from './deps';
import { queuedVoids } from './sales-push';

/** The tables giveBackHere writes: the caller's transaction must include them. */
export const giveBackTables = (db: TillpointDb) => [db.redemptions, db.codes] as const;

/**
 * Makes the codes of a voided sale usable again on this till at once, inside the transaction that
 * queues the void (write-ahead, so a crash keeps both or neither). Each redemption record stops
 * counting as a use here (returnedAt, as when the feed reports a give-back), and a cached code
 * state that says this till redeemed it reads issued again, so an offline scan of it passes. The
 * server does the same when the void is pushed (after the redemptions, in queue order), and its
 * feed entry then replaces this one; until it arrives the record is marked returnedHere, so a feed
 * page pulled in between cannot mark the code redeemed here again (localVoidWins).
 *
 * The offline allowance those redemptions used stays used: the lease usage counts every record
 * made under the lease (offline-decision.ts) and the server charged or will charge each one when
 * it is pushed, before the void — handing it back here would let the till redeem past what the
 * server lets the lease take, and those redemptions would come back as conflicts.
 */
export async function giveBackHere(
  db: TillpointDb,
  terminalId: TerminalId,
  redemptionIds: readonly ClientId[],
  nowMs: number,
): Promise<void> {
  const records = await db.redemptions.bulkGet([...redemptionIds]);
  for (const record of records) {
    if (record === undefined || record.returnedAt !== undefined) continue;
    await db.redemptions.update(record.id, { returnedAt: nowMs, returnedHere: true });
    const cached = await db.codes.get(record.code);
    if (cached?.state !== 'redeemed' || cached.redeemed?.terminalId !== terminalId) continue;
    await db.codes.put({
      ...cached,
      state: 'issued',
      redeemed: null,
      returned: { redemptionId: record.id as ClientId, at: isoAt(nowMs) as Instant },
    });
  }
}

/**
 * The feed's code states a page may not apply: a code redeemed here, by this till, that this till
 * has voided with the server's returning entry not yet arrived. The page was read before the void
 * reached the server (or before its entry was written), so the till's own void is newer; the
 * cached state stays as the void left it (a later entry of the page, a manager's void of the
 * code say, still applies). Call it after the page's returns are noted (they end
 * the guard) and inside the page's transaction.
 */
export async function localVoidWins(
  db: TillpointDb,
  terminalId: TerminalId | null,
  states: readonly CodeState[],
): Promise<Set<CodeState>> {
  const wins = new Set<CodeState>();
  if (terminalId === null) return wins;
  const ours = states.filter(
    (s) => s.state === 'redeemed' && s.redeemed?.terminalId === terminalId,
  );
  if (ours.length === 0) return wins;
  // One look-up for the page, not one per code: a page of this till's own redemptions is 500.
  const held = new Set(
    (
      await db.redemptions
        .where('code')
        .anyOf(ours.map((s) => s.code))
        .toArray()
    )
      .filter((r) => r.returnedHere === true)
      .map((r) => r.code),
  );
  for (const state of ours) if (held.has(state.code)) wins.add(state);
  return wins;
}

/**
 * The void queued here and not yet pushed that gave `code` back, if any: until the server has it,
 * the server still sees the code used by the voided sale.
 */
export async function unpushedVoidOf(db: TillpointDb, code: VoucherCode): Promise<ClientId | null> {
  const given = await db.redemptions.where('code').equals(code).toArray();
  const ids = new Set<string>(given.filter((r) => r.returnedHere === true).map((r) => r.id));
  if (ids.size === 0) return null;
  const voids = await queuedVoids(db)
    .filter((s) => s.request.redemptionIds.some((id) => ids.has(id)))
    .first();
  return voids?.id ?? null;
}

/**
 * Resolves true once the sale has been pushed (its row no longer pending, in whichever tab runs
 * the drainer), false after `ms` or when the till goes offline first (`onOffline` is given a
 * function that ends the wait and returns an unsubscribe).
 */
export function salePushed(
  db: TillpointDb,
  saleId: ClientId,
  ms: number,
  onOffline: (end: () => void) => () => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    let finished = false;
    let subscription: { unsubscribe(): void } | null = null;
    const done = (pushed: boolean): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stopOffline();
      subscription?.unsubscribe();
      resolve(pushed);
    };
    const timer = setTimeout(() => done(false), ms);
    const stopOffline = onOffline(() => done(false));
    subscription = liveQuery(() => db.sales.get(saleId)).subscribe({
      next: (row) => {
        if (row?.state !== 'pending') done(true);
      },
      // A failing read ends the wait only at the timer, so a broken database is not spun on.
      error: () => undefined,
    });
    if (finished) subscription.unsubscribe();
  });
}
