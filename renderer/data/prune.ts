import type { TillpointDb } from './db';

/** Local history is kept at least this long (issue 4), then pruned. */
export const HISTORY_DAYS = 180;
const DAY_MS = 86_400_000;

/**
 * Deletes redemptions and receipts older than the retention period. Anything still waiting for
 * the server, or a conflict the cashier has not seen, is kept whatever its age.
 */
export async function pruneHistory(db: TillpointDb, nowMs: number): Promise<number> {
  const cutoff = nowMs - HISTORY_DAYS * DAY_MS;
  return db.transaction('rw', db.redemptions, db.receipts, async () => {
    const removed = await db.redemptions
      .where('createdAt')
      .below(cutoff)
      .filter((r) => r.queued === 0 && r.unseenConflict === 0)
      .delete();
    await db.receipts.where('createdAt').below(cutoff).delete();
    return removed;
  });
}
