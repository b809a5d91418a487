import { MAX_SALES_PUSH, type SaleResponse } from '../../core/protocol/index';
import type { ApiClient } from './api-client';
import type { TillpointDb } from './db';
import type { Deps } from './deps';
import type { PushRound } from './push';
import type { SaleRecord } from './sale-records';

/**
 * The oldest sales still waiting for the server, in the order they were finished, up to those
 * finished at `until`.
 */
export function salesToPush(
  db: TillpointDb,
  limit = MAX_SALES_PUSH,
  until = Infinity,
): Promise<SaleRecord[]> {
  return queuedSales(db, until).limit(limit).toArray();
}

/** The sales waiting for the server, oldest first, up to those finished at `until`. */
function queuedSales(db: TillpointDb, until = Infinity) {
  return db.sales
    .where('[queued+createdAt]')
    .between([1, -Infinity], [1, until], true, true)
    .filter((s) => s.state === 'pending');
}

/** The voids waiting for the server, oldest first. */
export const queuedVoids = (db: TillpointDb) =>
  queuedSales(db).filter((s) => s.request.voided === true);

/**
 * When the oldest queued void was written, or Infinity. A void gives its codes back, and the till
 * may redeem one again at once (offline too): that redemption must reach the server after the
 * void, or the code is still used there and it comes back a conflict. So the drainer pushes in
 * queue order around voids — the redemptions made up to the void, then the sales up to it (the
 * void among them), then what came after — while everywhere else redemptions go first.
 */
export async function voidBarrier(db: TillpointDb): Promise<number> {
  const oldest = await queuedVoids(db).first();
  return oldest?.createdAt ?? Infinity;
}

/**
 * One push of up to 200 queued sales. The drainer calls it only once the redemption queue is
 * empty, so every voucher a sale names has reached the server before the sale. The server answers
 * each sale by its id (a repeat gets the stored answer), so a push cut at any byte is pushed again
 * and the sale is still recorded once. Answers are written back in one transaction.
 */
export async function pushSales(
  db: TillpointDb,
  api: ApiClient,
  deps: Deps,
  until = Infinity,
): Promise<PushRound> {
  const batch = await salesToPush(db, MAX_SALES_PUSH, until);
  if (batch.length === 0) return { kind: 'empty' };
  const sent = await api.call('pushSales', { body: { items: batch.map((s) => s.request) } });
  const at = deps.now();
  if (!sent.ok) {
    await db.transaction('rw', db.sales, async () => {
      await db.sales
        .where('id')
        .anyOf(batch.map((s) => s.id))
        .filter((s) => s.state === 'pending')
        .modify((s) => {
          s.attempts += 1;
          s.lastError = sent.message;
          s.updatedAt = at;
        });
    });
    return { kind: 'failed', failure: sent };
  }
  const byId = new Map<string, SaleResponse['outcome']>(
    sent.value.outcomes.map((o) => [o.id as string, o.outcome]),
  );
  if (batch.some((s) => !byId.has(s.id)))
    return {
      kind: 'failed',
      failure: {
        ok: false,
        code: 'BAD_RESPONSE',
        message: `The server answered ${byId.size} outcomes for ${batch.length} sales; the queue keeps them and will push again.`,
        status: 200,
        offline: false,
      },
    };
  await db.transaction('rw', db.sales, async () => {
    await db.sales
      .where('id')
      .anyOf(batch.map((s) => s.id))
      .filter((s) => s.state === 'pending')
      .modify((s) => {
        s.state = 'recorded';
        s.queued = 0;
        s.outcome = byId.get(s.id) ?? null;
        s.attempts += 1;
        s.lastError = null;
        s.updatedAt = at;
      });
  });
  return {
    kind: 'pushed',
    count: batch.length,
    conflicts: 0,
    more: batch.length === MAX_SALES_PUSH,
  };
}
