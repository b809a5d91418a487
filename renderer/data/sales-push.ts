import { MAX_SALES_PUSH, type SaleResponse } from '../../core/protocol/index';
import type { ApiClient } from './api-client';
import type { TillpointDb } from './db';
import type { Deps } from './deps';
import type { PushRound } from './push';
import type { SaleRecord } from './sale-records';

/** The oldest sales still waiting for the server, in the order they were finished. */
export function salesToPush(db: TillpointDb, limit = MAX_SALES_PUSH): Promise<SaleRecord[]> {
  return db.sales
    .where('[queued+createdAt]')
    .between([1, -Infinity], [1, Infinity], true, true)
    .filter((s) => s.state === 'pending')
    .limit(limit)
    .toArray();
}

/**
 * One push of up to 200 queued sales. The drainer calls it only once the redemption queue is
 * empty, so every voucher a sale names has reached the server before the sale. The server answers
 * each sale by its id (a repeat gets the stored answer), so a push cut at any byte is pushed again
 * and the sale is still recorded once. Answers are written back in one transaction.
 */
export async function pushSales(db: TillpointDb, api: ApiClient, deps: Deps): Promise<PushRound> {
  const batch = await salesToPush(db);
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
