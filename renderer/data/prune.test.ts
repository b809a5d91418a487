import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redemptionRecord, saleRecord } from '../../test/helpers/app-records';
import { TillpointDb } from './db';
import { HISTORY_DAYS, PRUNE_BATCH, pruneHistory, SALES_DAYS } from './prune';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 22);
let db: TillpointDb;
let seq = 0;
beforeEach(() => {
  seq += 1;
  db = new TillpointDb(`prune-test-${seq}`);
});
afterEach(async () => {
  await db.delete();
});

describe('history retention', () => {
  it('keeps 180 days, prunes older settled records, and never prunes what still has to sync', async () => {
    const old = now - (HISTORY_DAYS + 1) * DAY;
    const kept = redemptionRecord({
      createdAt: now - (HISTORY_DAYS - 1) * DAY,
      state: 'synced',
      queued: 0,
    });
    const oldSettled = redemptionRecord({ createdAt: old, state: 'synced', queued: 0 });
    const oldPending = redemptionRecord({ createdAt: old, state: 'pending', queued: 1 });
    const oldUnseenConflict = redemptionRecord({
      createdAt: old,
      state: 'conflict',
      queued: 0,
      unseenConflict: 1,
    });
    await db.redemptions.bulkAdd([kept, oldSettled, oldPending, oldUnseenConflict]);
    expect(await pruneHistory(db, now)).toBe(1);
    const left = (await db.redemptions.toArray()).map((r) => r.id).sort();
    expect(left).toEqual([kept.id, oldPending.id, oldUnseenConflict.id].sort());
  });

  it('keeps synced sales 30 days and never prunes a sale still queued or whose payment is not final', async () => {
    const old = now - (SALES_DAYS + 1) * DAY;
    const recent = saleRecord({ createdAt: now - (SALES_DAYS - 1) * DAY });
    const oldSynced = saleRecord({ createdAt: old });
    const oldQueued = saleRecord({ createdAt: old, queued: 1, state: 'pending' });
    const oldChecking = saleRecord({
      createdAt: old,
      payment: { paymentId: 'p' as never, state: 'checking', transactionId: null },
    });
    const oldPaid = saleRecord({
      createdAt: old,
      payment: { paymentId: 'q' as never, state: 'paid', transactionId: '4200' },
    });
    await db.sales.bulkAdd([recent, oldSynced, oldQueued, oldChecking, oldPaid]);
    expect(await pruneHistory(db, now)).toBe(2);
    const left = (await db.sales.toArray()).map((s) => s.id).sort();
    expect(left).toEqual([recent.id, oldQueued.id, oldChecking.id].sort());
  });

  it('deletes in batches, pausing between them, until every old settled record is gone', async () => {
    const old = now - (HISTORY_DAYS + 1) * DAY;
    const many = PRUNE_BATCH * 2 + 7;
    // Records that must stay, interleaved with the old ones by time, so a batch is never full of them.
    const records = Array.from({ length: many }, (_, i) =>
      redemptionRecord({
        createdAt: old - i,
        state: 'synced',
        queued: 0,
        unseenConflict: i % 2 === 0 ? 0 : 1,
      }),
    );
    const sales = Array.from({ length: many }, (_, i) => saleRecord({ createdAt: old - i }));
    await db.redemptions.bulkAdd(records);
    await db.sales.bulkAdd(sales);
    let pauses = 0;
    const removed = await pruneHistory(db, now, async () => {
      pauses += 1;
    });
    const kept = records.filter((r) => r.unseenConflict === 1).length;
    expect(removed).toBe(many - kept + many);
    expect(await db.redemptions.count()).toBe(kept);
    expect(await db.sales.count()).toBe(0);
    expect(pauses).toBeGreaterThanOrEqual(2);
  });
});
