import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RedemptionOutcome } from '../../core/protocol/index';
import { redemptionRecord } from '../../test/helpers/app-records';
import { TillpointDb } from './db';
import { nextToPush, outcomeChanges } from './push';
import { requeueAfterRestore } from './requeue';

let db: TillpointDb;
let dbSeq = 0;
beforeEach(() => {
  dbSeq += 1;
  db = new TillpointDb(`requeue-test-${dbSeq}`);
});
afterEach(async () => {
  await db.delete();
});

const NOW = Date.UTC(2026, 11, 2, 8);
const done = { decidedBy: 'server' as const, queued: 0 as const };

describe('after the server was restored from a backup', () => {
  it('queues again every record the server had accepted or held as a conflict, and forgets the cursor', async () => {
    const online = redemptionRecord({ ...done, state: 'synced' });
    const offline = redemptionRecord({ ...done, state: 'synced' });
    const conflict = redemptionRecord({ ...done, state: 'conflict', unseenConflict: 1 });
    const refused = redemptionRecord({ ...done, state: 'rejected' });
    const settled = redemptionRecord({ ...done, state: 'synced', settled: 'used_while_refused' });
    const waiting = redemptionRecord();
    await db.redemptions.bulkPut([
      { ...online, request: { ...online.request, offline: null } },
      offline,
      conflict,
      refused,
      settled,
      waiting,
    ]);
    await db.meta.put({ key: 'cursor', cursor: 'c2s', pulledAt: NOW - 1 });

    expect(await requeueAfterRestore(db, NOW)).toBe(3);

    const next = await nextToPush(db);
    expect(next.map((r) => r.id).sort()).toEqual(
      [online.id, offline.id, conflict.id, waiting.id].sort(),
    );
    expect((await db.redemptions.get(refused.id))?.state).toBe('rejected');
    expect((await db.redemptions.get(settled.id))?.queued).toBe(0);
    expect(await db.meta.get('cursor')).toBeUndefined();
  });

  it('flags a requeued online redemption that the restored server now refuses', async () => {
    const record = redemptionRecord({ ...done, state: 'synced' });
    const told = {
      ...record,
      state: 'pending' as const,
      request: { ...record.request, offline: null },
    };
    const refused: RedemptionOutcome = {
      status: 'rejected',
      reason: { code: 'ALREADY_REDEEMED', at: told.request.at, storeId: told.request.storeId },
    } as RedemptionOutcome;
    expect(outcomeChanges(refused, 1, NOW, told)).toMatchObject({
      state: 'rejected',
      unseenConflict: 1,
    });
  });
});
