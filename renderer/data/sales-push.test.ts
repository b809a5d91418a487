import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientId, StoreId, TerminalId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { SaleOutcome, SaleRequest } from '../../core/protocol/index';
import { startFakeServer } from '../../test/helpers/app-http';
import { createApiClient } from './api-client';
import { TillpointDb } from './db';
import type { Deps } from './deps';
import type { SaleRecord } from './sale-records';
import { pushSales, voidBarrier } from './sales-push';

const AT = Date.UTC(2026, 11, 2, 8);
const deps: Deps = {
  now: () => AT,
  newId: () => {
    throw new Error('unused');
  },
};
let db: TillpointDb;
let seq = 0;
beforeEach(() => {
  seq += 1;
  db = new TillpointDb(`sales-push-test-${seq}`);
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

const fen = (n: number) => n as Fen;
function sale(n: number): SaleRecord {
  const id = `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}` as ClientId;
  const request: SaleRequest = {
    id,
    storeId: 'sh-001' as StoreId,
    terminalId: 'sh-001-t1' as TerminalId,
    at: new Date(AT).toISOString() as SaleRequest['at'],
    shiftId: null,
    cart: { lines: [], memberDiscountApplied: false, memberTier: null, customerId: null },
    redemptionIds: [],
    tenders: [{ kind: 'cash', amountFen: fen(1000), tenderedFen: fen(2000) }],
    totals: {
      subtotalFen: fen(1000),
      discountFen: fen(0),
      dueFen: fen(1000),
      paidFen: fen(1000),
      changeFen: fen(1000),
    },
    offline: true,
  };
  return {
    id,
    createdAt: AT + n,
    queued: 1,
    state: 'pending',
    request,
    outcome: null,
    attempts: 0,
    lastError: null,
    updatedAt: AT,
    payment: null,
    replacedBy: null,
  };
}

const recorded = (r: SaleRequest): SaleOutcome => ({
  status: 'recorded',
  saleId: r.id,
  storeId: r.storeId,
  terminalId: r.terminalId,
  state: 'paid',
  totals: r.totals,
  flags: [],
  at: r.at,
});

describe('pushing the sales queue', () => {
  it('sends the queued sales in the order they were finished and stores each answer once', async () => {
    await db.sales.bulkAdd([sale(2), sale(1)]);
    const server = await startFakeServer((req) => {
      const items = (req.body as { items: SaleRequest[] }).items;
      return {
        status: 200,
        body: { outcomes: items.map((r) => ({ id: r.id, outcome: recorded(r) })) },
      };
    });
    try {
      expect(await pushSales(db, client(server.url), deps)).toMatchObject({
        kind: 'pushed',
        count: 2,
      });
      const sent = (server.requests[0]?.body as { items: SaleRequest[] }).items.map((r) => r.id);
      expect(sent).toEqual([sale(1).id, sale(2).id]);
      const stored = await db.sales.orderBy('createdAt').toArray();
      expect(stored.map((s) => [s.state, s.queued, s.outcome?.state])).toEqual([
        ['recorded', 0, 'paid'],
        ['recorded', 0, 'paid'],
      ]);
      // Nothing is left to send: a second round sends nothing.
      expect(await pushSales(db, client(server.url), deps)).toEqual({ kind: 'empty' });
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('holds back what came after the oldest queued void: the sales up to it go first', async () => {
    const voided = sale(2);
    const theVoid: SaleRecord = {
      ...voided,
      request: { ...voided.request, tenders: [], voided: true },
    };
    await db.sales.bulkAdd([sale(1), theVoid, sale(3)]);
    expect(await voidBarrier(db)).toBe(theVoid.createdAt);
    const server = await startFakeServer((req) => {
      const items = (req.body as { items: SaleRequest[] }).items;
      return {
        status: 200,
        body: { outcomes: items.map((r) => ({ id: r.id, outcome: recorded(r) })) },
      };
    });
    try {
      await pushSales(db, client(server.url), deps, await voidBarrier(db));
      const first = (server.requests[0]?.body as { items: SaleRequest[] }).items.map((r) => r.id);
      expect(first).toEqual([sale(1).id, theVoid.id]);
      // The void is recorded: nothing holds the queue back any more.
      expect(await voidBarrier(db)).toBe(Infinity);
      await pushSales(db, client(server.url), deps, await voidBarrier(db));
      const second = (server.requests[1]?.body as { items: SaleRequest[] }).items.map((r) => r.id);
      expect(second).toEqual([sale(3).id]);
    } finally {
      await server.close();
    }
  });

  it('keeps a sale queued, with the error, when the connection is cut', async () => {
    await db.sales.add(sale(1));
    const server = await startFakeServer(() => 'destroy');
    try {
      const round = await pushSales(db, client(server.url), deps);
      expect(round).toMatchObject({ kind: 'failed', failure: { offline: true } });
      const stored = await db.sales.get(sale(1).id);
      expect(stored).toMatchObject({ state: 'pending', queued: 1, attempts: 1, outcome: null });
      expect(stored?.lastError).toBeTruthy();
    } finally {
      await server.close();
    }
  });

  it('keeps the queue when the server answers for other sales than those sent', async () => {
    await db.sales.add(sale(1));
    const server = await startFakeServer(() => ({ status: 200, body: { outcomes: [] } }));
    try {
      expect(await pushSales(db, client(server.url), deps)).toMatchObject({
        kind: 'failed',
        failure: { code: 'BAD_RESPONSE' },
      });
      expect(await db.sales.get(sale(1).id)).toMatchObject({ state: 'pending', queued: 1 });
    } finally {
      await server.close();
    }
  });
});
