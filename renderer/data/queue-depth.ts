import type { TillQueueDepth } from '../../core/protocol/index';
import type { TillpointDb } from './db';

/**
 * What the queue still holds for the server: pending redemptions and sales (index counts only,
 * cheap whatever the size of the history). The drainer sends it with its calls (X-Till-Queue).
 */
export async function queueDepth(db: TillpointDb): Promise<TillQueueDepth> {
  return db.transaction('r', db.redemptions, db.sales, async () => {
    const [redemptions, sales] = await Promise.all([
      db.redemptions.where('[queued+createdAt]').between([1, -Infinity], [1, Infinity]).count(),
      db.sales.where('[queued+createdAt]').between([1, -Infinity], [1, Infinity]).count(),
    ]);
    return { redemptions, sales };
  });
}
