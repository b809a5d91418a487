import type { ClientId, Instant, TerminalId } from '../../core/ids';
import type { TillpointDb } from './db';
import { isoAt } from './deps';

/** The tables giveBackHere writes: the caller's transaction must include them. */
export const giveBackTables = (db: TillpointDb) => [db.redemptions, db.codes] as const;

/**
 * Makes the codes of a voided sale usable again on this till at once, inside the transaction that
 * queues the void (write-ahead, so a crash keeps both or neither). Each redemption record stops
 * counting as a use here (returnedAt, as when the feed reports a give-back), and a cached code
 * state that says this till redeemed it reads issued again, so an offline scan of it passes. The
 * server does the same when the void is pushed (after the redemptions, in queue order), and its
 * feed entry then replaces this one.
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
    await db.redemptions.update(record.id, { returnedAt: nowMs });
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
