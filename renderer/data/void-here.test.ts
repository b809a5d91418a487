import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientId, Instant, StoreId, TerminalId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import { ChangesPage, type CodeState, type SaleRequest } from '../../core/protocol/index';
import { aBatch } from '../../test/helpers/core-builders';
import { redemptionRecord, saleRecord } from '../../test/helpers/app-records';
import { startFakeServer, type RecordedRequest } from '../../test/helpers/app-http';
import { createApiClient, type ApiClient } from './api-client';
import { localRedemptionOf } from './catalog';
import { createConnectivity } from './connectivity';
import { TillpointDb } from './db';
import type { Deps } from './deps';
import { applyPage } from './pull';
import { createRedeemer } from './redeem';
import type { TerminalRecord } from './records';
import { pushSales } from './sales-push';
import { createStorageHealth } from './storage-health';
import { giveBackHere, giveBackTables } from './void-here';

const NOW = Date.UTC(2026, 5, 15, 4);
const STORE = 'S1' as StoreId;
const TERMINAL = 'T1' as TerminalId;
const CODE = 'CODE-VOIDED' as VoucherCode;
const batch = aBatch({ id: 'B-CASH', benefit: { kind: 'cash', valueFen: 1_000 } });

const terminal: TerminalRecord = {
  key: 'terminal',
  serverUrl: 'http://127.0.0.1:1',
  terminalId: TERMINAL,
  token: 'tok'.repeat(12),
  store: { id: STORE, name: 'Store one', timeZone: 'Asia/Shanghai', groupIds: [] },
  codePublicKey: '00'.repeat(32),
  name: 'till',
  pairedAt: NOW,
};

let ids = 0;
const deps: Deps = {
  now: () => NOW,
  newId: () => {
    ids += 1;
    return `0190c000-0000-7000-8000-${String(ids).padStart(12, '0')}` as ClientId;
  },
};

const redeemedHere = (at: string): CodeState => ({
  code: CODE,
  batchId: batch.id,
  state: 'redeemed',
  claimedAt: null,
  redeemed: { at: at as Instant, storeId: STORE, terminalId: TERMINAL },
});

let db: TillpointDb;
let seq = 0;
beforeEach(() => {
  seq += 1;
  db = new TillpointDb(`void-here-test-${seq}`);
});
afterEach(async () => {
  await db.delete();
});

/**
 * This till redeemed CODE online (the server has it), then the cashier voided the sale: the void
 * is queued and the code given back here, exactly as queueSale writes them, not pushed yet.
 */
async function voidedHere() {
  const used = redemptionRecord({
    code: CODE,
    batchId: batch.id,
    state: 'synced',
    queued: 0,
    decidedBy: 'server',
  });
  const voidSale = saleRecord({ state: 'pending', queued: 1, attempts: 0 });
  const request: SaleRequest = { ...voidSale.request, redemptionIds: [used.id], voided: true };
  await db.batches.put(batch);
  await db.codes.put(redeemedHere(used.request.at));
  await db.meta.bulkPut([
    terminal,
    {
      key: 'lease',
      lease: {
        leaseId: '0190a000-0000-7000-8000-0000000000aa',
        terminalId: TERMINAL,
        storeId: STORE,
        maxCount: 10,
        maxValueFen: 100_000 as Fen,
        issuedAt: new Date(NOW - 3_600_000).toISOString(),
        expiresAt: new Date(NOW + 3_600_000).toISOString(),
      },
    },
  ]);
  await db.redemptions.add(used);
  await db.transaction('rw', [db.sales, ...giveBackTables(db)], () =>
    Promise.all([
      db.sales.add({ ...voidSale, request }),
      giveBackHere(db, TERMINAL, [used.id], NOW),
    ]),
  );
  return { used, voidId: voidSale.id };
}

/**
 * The server as far as this race goes: the code stays used until the void arrives, and the
 * redemption of a used code is refused ALREADY_REDEEMED.
 */
async function serverThatVoids() {
  let voided = false;
  return startFakeServer((req: RecordedRequest) => {
    if (req.url === '/v1/sales/batch') {
      voided = true;
      const items = (req.body as { items: SaleRequest[] }).items;
      return {
        status: 200,
        body: {
          outcomes: items.map((s) => ({
            id: s.id,
            outcome: {
              status: 'recorded',
              saleId: s.id,
              storeId: s.storeId,
              terminalId: s.terminalId,
              state: 'voided',
              totals: s.totals,
              flags: [],
              at: s.at,
            },
          })),
        },
      };
    }
    const r = req.body as { id: string; code: string; at: string };
    return {
      status: 200,
      body: {
        id: r.id,
        outcome: voided
          ? {
              status: 'accepted',
              redemptionId: r.id,
              code: r.code,
              batchId: batch.id,
              discountFen: 1_000,
              storeId: STORE,
              terminalId: TERMINAL,
              at: r.at,
            }
          : {
              status: 'rejected',
              reason: { code: 'ALREADY_REDEEMED', at: r.at, storeId: STORE },
            },
      },
    };
  });
}

const apiAt = (url: string): ApiClient =>
  createApiClient({
    baseUrl: url,
    terminalToken: () => 'tok'.repeat(12),
    sessionToken: () => null,
  });

function redeemerWith(api: ApiClient, nudgeQueue: () => void, voidWaitMs: number) {
  const redeemer = createRedeemer({
    db,
    api,
    deps,
    terminal,
    connectivity: createConnectivity(true),
    storage: createStorageHealth(),
    nudgeQueue,
    onProtocolError: (m) => {
      throw new Error(`unexpected protocol error: ${m.message}`);
    },
    voidWaitMs,
  });
  return (code: VoucherCode) => redeemer.redeem({ code, cart: null, saleId: null, companions: [] });
}

describe('scanning online a code voided here before the void is pushed', () => {
  it('wakes the drainer and asks the server only once the void has reached it: accepted', async () => {
    const { voidId } = await voidedHere();
    const server = await serverThatVoids();
    try {
      const api = apiAt(server.url);
      // The drainer, woken: it pushes the queued sales (the void among them) with the real push.
      const scan = redeemerWith(api, () => void pushSales(db, api, deps), 10_000);
      const result = await scan(CODE);
      expect(result.kind).toBe('accepted');
      expect(server.requests.map((r) => r.url)).toEqual(['/v1/sales/batch', '/v1/redemptions']);
      expect((await db.sales.get(voidId))?.state).toBe('recorded');
    } finally {
      await server.close();
    }
  });

  it('is decided by the offline rules, and not sent, when the void is not pushed in time', async () => {
    await voidedHere();
    const server = await serverThatVoids();
    try {
      const nudges: number[] = [];
      const scan = redeemerWith(apiAt(server.url), () => nudges.push(1), 100);
      const result = await scan(CODE);
      expect(result.kind === 'accepted' && result.pendingSync).toBe(true);
      expect(server.requests).toEqual([]);
      expect(nudges.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe('a feed page pulled between the void and its push', () => {
  const page = (codes: readonly CodeState[], cursor: string) =>
    ChangesPage.parse({
      changes: codes.map((code) => ({ type: 'code', code })),
      cursor,
      hasMore: false,
    });

  it('does not mark redeemed again a code this till has voided', async () => {
    const { used } = await voidedHere();
    await applyPage(db, page([redeemedHere(used.request.at)], 'c1'), NOW);
    expect((await db.codes.get(CODE))?.state).toBe('issued');
    expect(await localRedemptionOf(db, CODE)).toBeNull();
    expect((await db.meta.get('cursor'))?.key === 'cursor').toBe(true);
  });

  it('applies the code again once the server’s own entry returning the redemption has arrived', async () => {
    const { used } = await voidedHere();
    const returnedAt = '2026-06-15T04:00:01.000Z';
    await applyPage(
      db,
      page(
        [
          {
            ...redeemedHere(used.request.at),
            state: 'issued',
            redeemed: null,
            returned: { redemptionId: used.id, at: returnedAt },
          },
        ],
        'c1',
      ),
      NOW,
    );
    expect((await db.redemptions.get(used.id))?.returnedHere).toBeUndefined();
    // Redeemed here once more (a new use, pushed after the void): the feed says so, and it holds.
    await applyPage(db, page([redeemedHere('2026-06-15T04:00:02.000Z')], 'c2'), NOW);
    expect((await db.codes.get(CODE))?.state).toBe('redeemed');
  });
});
