import type { TillpointDb } from './db';
import type { SaleRecord } from './sale-records';

/**
 * Local redemption history (and receipts, for reprints) is kept at least this long (issue 4): it
 * is what stops one code being used twice on this terminal while offline.
 */
export const HISTORY_DAYS = 180;
/**
 * Synced sales are kept this long. The server is the authority on a sale and the refund desk
 * looks an older one up there by its receipt's QR code; on the till a sale only feeds the F3 list
 * and the shift, so a month covers any open shift and the refunds of the counter's own memory.
 */
export const SALES_DAYS = 30;
/** Records deleted per transaction: a pass never holds the database for long. */
export const PRUNE_BATCH = 200;
const DAY_MS = 86_400_000;

/** Until the browser is idle (or the next task where it cannot tell): between two batches. */
export function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function')
      requestIdleCallback(() => resolve(), { timeout: 1_000 });
    else setTimeout(resolve, 0);
  });
}

/** A sale nothing here waits on: the server recorded it and its WeChat payment (if any) is final. */
function settledSale(s: SaleRecord): boolean {
  if (s.state !== 'recorded') return false;
  const payment = s.payment?.state;
  return (
    payment === undefined || payment === 'paid' || payment === 'closed' || payment === 'failed'
  );
}

/**
 * Deletes settled history past its retention, in batches of PRUNE_BATCH with `pause` between
 * them: redemptions and receipts after HISTORY_DAYS, sales after SALES_DAYS. Anything still
 * waiting for the server (queued, an unconfirmed redemption not settled, a payment not final) or
 * a conflict the cashier has not seen is kept whatever its age. Returns how many records went.
 */
export async function pruneHistory(
  db: TillpointDb,
  nowMs: number,
  pause: () => Promise<void> = () => Promise.resolve(),
): Promise<number> {
  const historyCutoff = nowMs - HISTORY_DAYS * DAY_MS;
  const salesCutoff = nowMs - SALES_DAYS * DAY_MS;
  const steps = [
    () =>
      db.transaction('rw', db.redemptions, async () => {
        const ids = await db.redemptions
          .where('[queued+createdAt]')
          .between([0, -Infinity], [0, historyCutoff])
          .filter(
            (r) =>
              r.unseenConflict === 0 && !(r.state === 'unconfirmed' && r.settled === undefined),
          )
          .limit(PRUNE_BATCH)
          .primaryKeys();
        await db.redemptions.bulkDelete(ids);
        return ids.length;
      }),
    () =>
      db.transaction('rw', db.receipts, async () => {
        const ids = await db.receipts
          .where('createdAt')
          .below(historyCutoff)
          .limit(PRUNE_BATCH)
          .primaryKeys();
        await db.receipts.bulkDelete(ids);
        return ids.length;
      }),
    () =>
      db.transaction('rw', db.sales, async () => {
        const ids = await db.sales
          .where('[queued+createdAt]')
          .between([0, -Infinity], [0, salesCutoff])
          .filter(settledSale)
          .limit(PRUNE_BATCH)
          .primaryKeys();
        await db.sales.bulkDelete(ids);
        return ids.length;
      }),
  ];
  let removed = 0;
  for (const step of steps) {
    for (;;) {
      const n = await step();
      removed += n;
      if (n < PRUNE_BATCH) break;
      await pause();
    }
  }
  return removed;
}
