import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VoucherCode } from '../../core/ids';
import { ChangesPage } from '../../core/protocol/index';
import { startFakeServer } from '../../test/helpers/app-http';
import { createApiClient } from './api-client';
import { TillpointDb } from './db';
import type { Deps } from './deps';
import { redemptionRecord } from '../../test/helpers/app-records';
import { localRedemptionOf } from './catalog';
import { applyPage, pullChanges } from './pull';

const deps: Deps = {
  now: () => 1_000,
  newId: () => {
    throw new Error('unused');
  },
};
let db: TillpointDb;
let seq = 0;
beforeEach(() => {
  seq += 1;
  db = new TillpointDb(`pull-test-${seq}`);
});
afterEach(async () => {
  await db.delete();
});

const product = (sku: string, priceFen: number) => ({
  type: 'product',
  product: { sku, name: `P ${sku}`, category: 'food', priceFen, barcodes: ['6901234567892'] },
});

const member = (version: number, tier: string) => ({
  type: 'member',
  member: { id: 'm-1', phone: '13800138000', card: 'TPM-00000001', name: '张伟', tier, version },
});

describe('pulling the change feed', () => {
  it('applies pages in order, the last entry for a key winning, and stores the cursor', async () => {
    const pages: Record<string, unknown> = {
      '': { changes: [product('sku-1', 100), product('sku-1', 150)], cursor: 'c1', hasMore: true },
      c1: {
        changes: [
          { type: 'store_group', group: { id: 'north', name: 'North' } },
          member(1, 'gold'),
          member(2, 'silver'),
        ],
        cursor: 'c2',
        hasMore: false,
      },
    };
    const server = await startFakeServer((req) => {
      const since = new URL(req.url, 'http://x').searchParams.get('since') ?? '';
      return { status: 200, body: pages[since] };
    });
    try {
      const api = createApiClient({
        baseUrl: server.url,
        terminalToken: () => 't',
        sessionToken: () => null,
      });
      expect(await pullChanges(db, api, deps)).toEqual({ ok: true, pages: 2, changes: 5 });
      expect((await db.products.toArray()).map((p) => [p.sku, p.priceFen])).toEqual([
        ['sku-1', 150],
      ]);
      expect(await db.storeGroups.count()).toBe(1);
      expect(await db.members.where('card').equals('TPM-00000001').first()).toMatchObject({
        id: 'm-1',
        tier: 'silver',
        version: 2,
      });
      expect(await db.meta.get('cursor')).toEqual({ key: 'cursor', cursor: 'c2', pulledAt: 1_000 });
    } finally {
      await server.close();
    }
  });

  it('keeps the previous cursor and catalog when a page fails validation', async () => {
    await db.meta.put({ key: 'cursor', cursor: 'c0', pulledAt: 1 });
    const server = await startFakeServer(() => ({
      status: 200,
      body: {
        changes: [{ type: 'product', product: { sku: 'x', priceFen: -5 } }],
        cursor: 'c9',
        hasMore: false,
      },
    }));
    try {
      const api = createApiClient({
        baseUrl: server.url,
        terminalToken: () => 't',
        sessionToken: () => null,
      });
      const result = await pullChanges(db, api, deps);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.failure.code).toBe('BAD_RESPONSE');
      expect((await db.meta.get('cursor'))?.key === 'cursor').toBe(true);
      expect(await db.meta.get('cursor')).toMatchObject({ cursor: 'c0' });
      expect(await db.products.count()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('stops counting this till’s use of a code the server gave back, every return of a page', async () => {
    const code = 'CODE-RETURNED' as VoucherCode;
    const first = redemptionRecord({ code, state: 'synced', queued: 0 });
    const second = redemptionRecord({ code, state: 'synced', queued: 0 });
    await db.redemptions.bulkAdd([first, second]);
    expect(await localRedemptionOf(db, code)).not.toBeNull();
    const state = (redemptionId: string, at: string) => ({
      code,
      batchId: 'b-1',
      state: 'issued',
      claimedAt: null,
      redeemed: null,
      returned: { redemptionId, at },
    });
    await applyPage(
      db,
      ChangesPage.parse({
        changes: [
          { type: 'code', code: state(first.id, '2026-11-22T05:00:00.000Z') },
          { type: 'code', code: state(second.id, '2026-11-22T06:00:00.000Z') },
        ],
        cursor: 'c1',
        hasMore: false,
      }),
      1_000,
    );
    expect(await localRedemptionOf(db, code)).toBeNull();
    expect((await db.redemptions.get(first.id))?.returnedAt).toBe(
      Date.parse('2026-11-22T05:00:00.000Z'),
    );
    expect((await db.codes.get(code))?.state).toBe('issued');
  });
});
