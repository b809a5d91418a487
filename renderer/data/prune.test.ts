import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redemptionRecord } from '../../test/helpers/app-records';
import { TillpointDb } from './db';
import { HISTORY_DAYS, pruneHistory } from './prune';

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
});
