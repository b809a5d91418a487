import type { TillpointDb } from './db';
import type { RedemptionRecord } from './records';

/**
 * After the server answered a pull with FEED_RESET (it was restored from a
 * backup, server/ops/restore.ts), it may lack redemptions this till saw
 * accepted. Every record the server had accepted, or stored as a conflict, is
 * queued again, and the cursor is dropped so the next pull starts over, in one
 * transaction. The server answers a record it still has with its stored
 * outcome and redeems one it lost: each redemption is in the ledger exactly
 * once. Left out: refusals (nothing to count), and records settled after an
 * unanswered request (the customer got nothing; their code is not used again).
 * Returns how many records were queued again.
 */
export async function requeueAfterRestore(db: TillpointDb, nowMs: number): Promise<number> {
  return db.transaction('rw', [db.redemptions, db.meta], async () => {
    const again = await db.redemptions
      .where('state')
      .anyOf(['synced', 'conflict'])
      .filter((r) => r.settled === undefined)
      .toArray();
    const changes: Partial<RedemptionRecord> = { state: 'pending', queued: 1, updatedAt: nowMs };
    await db.redemptions.bulkUpdate(again.map((r) => ({ key: r.id, changes })));
    await db.meta.delete('cursor');
    return again.length;
  });
}
