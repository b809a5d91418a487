import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RedemptionRequest } from '../../core/protocol/index';
import { redemptionRecord } from '../../test/helpers/app-records';
import { startFakeServer } from '../../test/helpers/app-http';
import { createApiClient } from './api-client';
import { TillpointDb } from './db';
import type { Deps } from './deps';
import { backoffMs, nextToPush, pushAll, pushOnce } from './push';

const deps: Deps = {
  now: () => Date.UTC(2026, 10, 22, 5),
  newId: () => {
    throw new Error('unused');
  },
};
let db: TillpointDb;
let dbSeq = 0;

beforeEach(() => {
  dbSeq += 1;
  db = new TillpointDb(`push-test-${dbSeq}`);
});
afterEach(async () => {
  await db.delete();
});

const client = (url: string) =>
  createApiClient({
    baseUrl: url,
    terminalToken: () => 'tok'.repeat(12),
    sessionToken: () => null,
  });

function acceptAll(body: unknown) {
  const items = (body as { items: RedemptionRequest[] }).items;
  return {
    status: 200,
    body: {
      outcomes: items.map((r, i) => ({
        id: r.id,
        outcome:
          i === 0
            ? {
                status: 'conflict',
                reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'count' },
                winner: null,
              }
            : {
                status: 'accepted',
                redemptionId: r.id,
                code: r.code,
                batchId: 'batch-1',
                discountFen: 500,
                storeId: r.storeId,
                terminalId: r.terminalId,
                at: r.at,
              },
      })),
    },
  };
}

describe('pushing the offline queue', () => {
  it('writes each outcome back and leaves nothing queued', async () => {
    await db.redemptions.bulkAdd([redemptionRecord(), redemptionRecord(), redemptionRecord()]);
    const server = await startFakeServer((req) => acceptAll(req.body));
    try {
      const round = await pushOnce(db, client(server.url), deps);
      expect(round).toEqual({ kind: 'pushed', count: 3, conflicts: 1, more: false });
      const states = (await db.redemptions.orderBy('createdAt').toArray()).map((r) => [
        r.state,
        r.queued,
      ]);
      expect(states).toEqual([
        ['conflict', 0],
        ['synced', 0],
        ['synced', 0],
      ]);
      expect(await db.redemptions.where('unseenConflict').equals(1).count()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('keeps every record pending when the connection drops mid-push, then pushes the same ids again', async () => {
    await db.redemptions.bulkAdd([redemptionRecord(), redemptionRecord()]);
    let calls = 0;
    const server = await startFakeServer((req) => {
      calls += 1;
      return calls === 1 ? 'destroy' : acceptAll(req.body);
    });
    try {
      const api = client(server.url);
      const first = await pushOnce(db, api, deps);
      expect(first.kind).toBe('failed');
      expect(first.kind === 'failed' && first.failure.offline).toBe(true);
      expect(await db.redemptions.where('state').equals('pending').count()).toBe(2);
      await pushOnce(db, api, deps);
      const ids = server.requests.map((r) =>
        (r.body as { items: { id: string }[] }).items.map((i) => i.id),
      );
      expect(ids[1]).toEqual(ids[0]);
      expect(await db.redemptions.where('state').equals('pending').count()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('treats an answer that breaks the protocol as an error and keeps the queue', async () => {
    await db.redemptions.add(redemptionRecord());
    const server = await startFakeServer(() => ({
      status: 200,
      body: { outcomes: [{ id: 'nope' }] },
    }));
    try {
      const round = await pushOnce(db, client(server.url), deps);
      expect(round.kind === 'failed' && round.failure.code).toBe('BAD_RESPONSE');
      expect(await db.redemptions.where('state').equals('pending').count()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('sends at most 500 per push, oldest first', async () => {
    const records = Array.from({ length: 501 }, () => redemptionRecord());
    await db.redemptions.bulkAdd(records);
    const batch = await nextToPush(db);
    expect(batch).toHaveLength(500);
    expect(batch[0]?.id).toBe(records[0]?.id);
    expect(batch.some((r) => r.id === records[500]?.id)).toBe(false);
  });

  it('drains with two batches in flight, each record sent once and every outcome written', async () => {
    const records = Array.from({ length: 1_201 }, () => redemptionRecord());
    await db.redemptions.bulkAdd(records);
    let open = 0;
    let most = 0;
    let releaseFirst = (): void => undefined;
    const secondInFlight = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const server = await startFakeServer((req) => acceptAll(req.body));
    try {
      // Count the pushes in flight, as the client sees them.
      const api = client(server.url);
      const counted = {
        ...api,
        pushBatch: async (request: Parameters<typeof api.pushBatch>[0]) => {
          open += 1;
          most = Math.max(most, open);
          try {
            // A server that holds each batch until a second one is in flight (or 5 s pass, as a
            // drainer that sends one at a time would make it), so the overlap does not depend on
            // how fast this machine reads the next batch.
            if (open === 2) releaseFirst();
            await Promise.race([secondInFlight, new Promise((r) => setTimeout(r, 5_000))]);
            return await api.pushBatch(request);
          } finally {
            open -= 1;
          }
        },
      };
      const round = await pushAll(db, counted, deps, 2);
      expect(round).toMatchObject({ kind: 'pushed', count: 1_201, conflicts: 3, more: false });
      const ids = server.requests.flatMap((r) =>
        (r.body as { items: { id: string }[] }).items.map((i) => i.id),
      );
      expect(ids).toHaveLength(1_201);
      expect(new Set(ids).size).toBe(1_201);
      expect(server.requests.map((r) => (r.body as { items: unknown[] }).items.length)).toEqual([
        500, 500, 201,
      ]);
      expect(most).toBe(2);
      expect(
        await db.redemptions
          .where('[queued+createdAt]')
          .between([1, -Infinity], [1, Infinity])
          .count(),
      ).toBe(0);
      expect(await db.redemptions.where('state').equals('synced').count()).toBe(1_198);
    } finally {
      await server.close();
    }
  });

  it('stops a drain at the first failed batch and keeps the rest queued', async () => {
    await db.redemptions.bulkAdd(Array.from({ length: 700 }, () => redemptionRecord()));
    const server = await startFakeServer(() => ({
      status: 503,
      body: { code: 'UNAVAILABLE', message: 'down for maintenance' },
    }));
    try {
      const round = await pushAll(db, client(server.url), deps, 2);
      expect(round.kind === 'failed' && round.failure.offline).toBe(true);
      expect(await db.redemptions.where('state').equals('pending').count()).toBe(700);
    } finally {
      await server.close();
    }
  });

  it('skips records that are not pending', async () => {
    await db.redemptions.bulkAdd([
      redemptionRecord({ state: 'sending' }),
      redemptionRecord({ state: 'synced', queued: 0 }),
    ]);
    expect(await nextToPush(db)).toHaveLength(0);
  });
});

describe('backoff', () => {
  it('grows exponentially, stays within the cap and jitters between 50 and 100 %', () => {
    expect(backoffMs(1, () => 1)).toBe(1_000);
    expect(backoffMs(3, () => 1)).toBe(4_000);
    expect(backoffMs(3, () => 0)).toBe(2_000);
    expect(backoffMs(50, () => 1)).toBe(15_000);
  });
});
