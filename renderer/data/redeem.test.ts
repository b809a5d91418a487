import 'fake-indexeddb/auto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/curves/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientId, StoreId, TerminalId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import { reasonMessage } from '../../core/messages/reasons';
import type { AllowanceLease } from '../../core/protocol/index';
import { aBatch, aCart, aLine } from '../../test/helpers/core-builders';
import { redemptionRecord } from '../../test/helpers/app-records';
import { startFakeServer } from '../../test/helpers/app-http';
import { createApiClient, type ApiClient } from './api-client';
import { createConnectivity } from './connectivity';
import { TillpointDb } from './db';
import type { Deps } from './deps';
import {
  allowanceRoom,
  countLeaseUsage,
  decideOffline,
  rebuildLeaseUsage,
  type OfflineInput,
} from './offline-decision';
import { nextToPush, outcomeChanges, pushOnce } from './push';
import { createRedeemer, type RedeemResult, type SaleRedemption } from './redeem';
import type { RedemptionRecord, TerminalRecord } from './records';
import { createStorageHealth } from './storage-health';

const NOW = Date.UTC(2026, 5, 15, 4); // 12:00 in Shanghai, a Monday
const STORE = 'S1' as StoreId;
const TERMINAL = 'T1' as TerminalId;
const LEASE_ID = '0190a000-0000-7000-8000-0000000000aa';

const terminal: TerminalRecord = {
  key: 'terminal',
  serverUrl: 'http://127.0.0.1:1',
  terminalId: TERMINAL,
  token: 'tok'.repeat(12),
  store: { id: STORE, name: 'Store one', timeZone: 'Asia/Shanghai', groupIds: [] },
  codePublicKey: bytesToHex(ed25519.getPublicKey(new Uint8Array(32).fill(7))),
  name: 'till',
  pairedAt: NOW,
};

const cash = aBatch({ id: 'B-CASH', benefit: { kind: 'cash', valueFen: 1_000 } });
const capped = aBatch({ id: 'B-CAP', benefit: { kind: 'cash', valueFen: 500 }, dailyCap: 1 });

function lease(overrides: Partial<AllowanceLease> = {}): AllowanceLease {
  return {
    leaseId: LEASE_ID,
    terminalId: TERMINAL,
    storeId: STORE,
    maxCount: 10,
    maxValueFen: 100_000 as Fen,
    issuedAt: new Date(NOW - 3_600_000).toISOString(),
    expiresAt: new Date(NOW + 3_600_000).toISOString(),
    ...overrides,
  };
}

let db: TillpointDb;
let seq = 0;
let ids = 0;
let clock = NOW;
const deps: Deps = {
  now: () => clock,
  newId: () => {
    ids += 1;
    return `0190b000-0000-7000-8000-${String(ids).padStart(12, '0')}` as ClientId;
  },
};

async function seed(codes: readonly { code: string; batchId: string }[], l = lease()) {
  await db.batches.bulkPut([cash, capped]);
  await db.codes.bulkPut(
    codes.map((c) => ({
      code: c.code as VoucherCode,
      batchId: c.batchId as never,
      state: 'issued' as const,
      claimedAt: null,
      redeemed: null,
    })),
  );
  await db.meta.put({ key: 'lease', lease: l });
}

const someCodes = (n: number, batchId = 'B-CASH') =>
  Array.from({ length: n }, (_, i) => ({ code: `CODE-${batchId}-${i}`, batchId }));

beforeEach(() => {
  seq += 1;
  clock = NOW;
  db = new TillpointDb(`redeem-test-${seq}`);
});
afterEach(async () => {
  await db.delete();
});

// The server is never reached in these tests: the terminal is known to be offline.
const unreachable: ApiClient = createApiClient({
  baseUrl: 'http://127.0.0.1:9',
  terminalToken: () => 'tok',
  sessionToken: () => null,
});

function offlineRedeemer(api: ApiClient = unreachable, online = false) {
  const nudges: number[] = [];
  const redeemer = createRedeemer({
    db,
    api,
    deps,
    terminal,
    connectivity: createConnectivity(online),
    storage: createStorageHealth(),
    nudgeQueue: () => nudges.push(1),
    onProtocolError: (m) => {
      throw new Error(`unexpected protocol error: ${m.message}`);
    },
  });
  const quick = (code: string) =>
    redeemer.redeem({ code: code as VoucherCode, cart: null, saleId: null, companions: [] });
  return { redeemer, quick, nudges };
}

const reasonOf = (r: RedeemResult) => (r.kind === 'refused' ? r.reason : null);

const input = (code: string, redemptionId: string): OfflineInput => ({
  terminal,
  code: code as VoucherCode,
  cart: null,
  companions: [],
  saleId: null,
  redemptionId,
  nowMs: clock,
});

describe('offline decision', () => {
  it('refuses one code used twice on this terminal, with no server to ask', async () => {
    await seed(someCodes(2));
    const { quick } = offlineRedeemer();
    const first = await quick('CODE-B-CASH-0');
    expect(first.kind === 'accepted' && first.pendingSync).toBe(true);
    clock += 1_000;
    const again = await quick('CODE-B-CASH-0');
    const reason = reasonOf(again);
    expect(reason).toEqual({
      code: 'ALREADY_REDEEMED',
      at: new Date(NOW).toISOString(),
      storeId: STORE,
      terminalId: TERMINAL,
    });
    // This till's own use is told as such, not as "already redeemed at <our own store>".
    expect(reason && reasonMessage(reason, 'zh-CN', { terminalId: TERMINAL })).toBe(
      '本机已于 2026-06-15 12:00 核销过该券，不能重复使用。',
    );
    expect(again.kind === 'refused' && again.decidedBy).toBe('terminal');
    // Refused before anything was written: one record, still the first one.
    expect(await db.redemptions.count()).toBe(1);
  });

  it('lets only one of two simultaneous scans of one code through', async () => {
    await seed(someCodes(1));
    const { quick } = offlineRedeemer();
    const results = await Promise.all([quick('CODE-B-CASH-0'), quick('CODE-B-CASH-0')]);
    expect(results.map((r) => r.kind).sort()).toEqual(['accepted', 'refused']);
    expect(await db.redemptions.where('state').equals('pending').count()).toBe(1);
  });

  it('stops at the lease count and charges only acceptances', async () => {
    await seed(someCodes(4), lease({ maxCount: 2 }));
    const { quick } = offlineRedeemer();
    expect((await quick('CODE-B-CASH-0')).kind).toBe('accepted');
    expect((await quick('CODE-B-CASH-1')).kind).toBe('accepted');
    const third = await quick('CODE-B-CASH-2');
    expect(reasonOf(third)).toEqual({ code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'count' });
    const room = await allowanceRoom(db, clock);
    expect(room.ok && [room.count, room.usedCount, room.usedValueFen]).toEqual([0, 2, 2_000]);
    // The summary agrees with the records it summarises.
    expect(await countLeaseUsage(db, LEASE_ID)).toEqual({
      key: 'leaseUsage',
      leaseId: LEASE_ID,
      count: 2,
      valueFen: 2_000,
    });
  });

  it('stops at the lease value: a voucher worth more than what is left is refused', async () => {
    await seed(someCodes(3), lease({ maxValueFen: 1_500 as Fen }));
    const { quick } = offlineRedeemer();
    expect((await quick('CODE-B-CASH-0')).kind).toBe('accepted');
    const second = await quick('CODE-B-CASH-1');
    // Cash vouchers of the test catalog are worth ¥10: ¥5 of the ¥15 allowance is left.
    expect(reasonOf(second)).toEqual({
      code: 'OFFLINE_ALLOWANCE_EXCEEDED',
      limit: 'value',
      leftFen: 500,
      neededFen: 1_000,
    });
    const room = await allowanceRoom(db, clock);
    expect(room.ok && room.valueFen).toBe(500);
  });

  it('refuses under an expired lease, and with no lease at all', async () => {
    await seed(someCodes(2), lease({ expiresAt: new Date(NOW - 1).toISOString() }));
    const { quick } = offlineRedeemer();
    expect(reasonOf(await quick('CODE-B-CASH-0'))).toEqual({
      code: 'OFFLINE_ALLOWANCE_EXCEEDED',
      limit: 'expired',
    });
    await db.meta.delete('lease');
    expect(reasonOf(await quick('CODE-B-CASH-1'))).toEqual({
      code: 'OFFLINE_ALLOWANCE_EXCEEDED',
      limit: 'none',
    });
    // Refusals were recorded as decided here, and nothing waits to be pushed.
    expect((await db.redemptions.toArray()).map((r) => [r.state, r.queued])).toEqual([
      ['rejected', 0],
      ['rejected', 0],
    ]);
  });

  it('never counts the redemption being decided as an earlier use of its code or batch', async () => {
    await seed(someCodes(1, 'B-CAP'));
    // Written ahead, as before an online attempt: 'sending', same id as the decision.
    const self = redemptionRecord({
      code: 'CODE-B-CAP-0' as VoucherCode,
      state: 'sending',
      batchId: 'B-CAP' as never,
      createdAt: NOW,
      request: { ...redemptionRecord().request, offline: null },
    });
    await db.redemptions.add(self);
    const decision = await decideOffline(db, input('CODE-B-CAP-0', self.id));
    expect(decision).toMatchObject({ ok: true, discountFen: 500 });
    // Another redemption of the same code is a different matter.
    const other = await decideOffline(db, input('CODE-B-CAP-0', 'someone-else'));
    expect(other.ok === false && other.reason.code).toBe('ALREADY_REDEEMED');
  });

  it("counts today's pending and synced redemptions of a capped batch, not yesterday's", async () => {
    await seed(someCodes(2, 'B-CAP'));
    await db.redemptions.add(
      redemptionRecord({
        code: 'OTHER' as VoucherCode,
        batchId: 'B-CAP' as never,
        state: 'synced',
        queued: 0,
        createdAt: NOW - 86_400_000,
      }),
    );
    const { quick } = offlineRedeemer();
    expect((await quick('CODE-B-CAP-0')).kind).toBe('accepted');
    expect(reasonOf(await quick('CODE-B-CAP-1'))).toEqual({ code: 'DAILY_CAP_REACHED', cap: 1 });
  });

  it("counts a member's own redemptions today against a per-customer daily limit", async () => {
    const perMember = aBatch({
      id: 'B-MEMBER',
      benefit: { kind: 'cash', valueFen: 300 },
      memberTiers: ['gold'],
      perCustomerDailyLimit: 1,
    });
    await seed(someCodes(3, 'B-MEMBER'));
    await db.batches.put(perMember);
    const { redeemer } = offlineRedeemer();
    const cartFor = (customerId: string) => ({
      lines: [
        {
          lineId: 'l1' as never,
          sku: 'latte' as never,
          category: 'coffee' as never,
          name: 'Latte' as never,
          unitPriceFen: 2800 as Fen,
          quantity: 1,
        },
      ],
      memberDiscountApplied: false,
      memberTier: 'gold' as never,
      customerId,
    });
    const redeem = (code: string, customerId: string) =>
      redeemer.redeem({
        code: code as VoucherCode,
        cart: cartFor(customerId),
        saleId: `sale-${code}`,
        companions: [code as VoucherCode],
      });
    expect((await redeem('CODE-B-MEMBER-0', 'm-1')).kind).toBe('accepted');
    expect(reasonOf(await redeem('CODE-B-MEMBER-1', 'm-1'))).toEqual({
      code: 'CUSTOMER_DAILY_LIMIT',
      limit: 1,
    });
    expect((await redeem('CODE-B-MEMBER-2', 'm-2')).kind).toBe('accepted');
  });

  it('rebuilds the lease usage from the records when the summary is missing or stale', async () => {
    await seed([]);
    await db.redemptions.bulkAdd([
      redemptionRecord({
        request: {
          ...redemptionRecord().request,
          offline: { leaseId: LEASE_ID, discountFen: 300 as Fen },
        },
      }),
      redemptionRecord({
        request: {
          ...redemptionRecord().request,
          offline: { leaseId: 'another-lease', discountFen: 300 as Fen },
        },
      }),
    ]);
    await db.meta.put({ key: 'leaseUsage', leaseId: LEASE_ID, count: 0, valueFen: 0 as Fen });
    await rebuildLeaseUsage(db);
    const room = await allowanceRoom(db, clock);
    expect(room.ok && [room.usedCount, room.usedValueFen]).toEqual([1, 300]);
    await db.meta.delete('leaseUsage');
    const again = await allowanceRoom(db, clock);
    expect(again.ok && again.usedCount).toBe(1);
  });
});

describe("an order's vouchers redeemed offline at Pay", () => {
  const order = aCart([aLine({ unitPriceFen: 10_000 })]);
  // Two codes of one batch may go on one order, so an order can hold more than the lease allows.
  const pair = aBatch({
    id: 'B-PAIR',
    benefit: { kind: 'cash', valueFen: 1_000 },
    perOrderLimit: 2,
  });
  const pairCapped = aBatch({
    id: 'B-PAIR-CAP',
    benefit: { kind: 'cash', valueFen: 500 },
    perOrderLimit: 2,
    dailyCap: 1,
  });
  const seedOrder = async (codes: readonly { code: string; batchId: string }[], l = lease()) => {
    await seed(codes, l);
    await db.batches.bulkPut([pair, pairCapped]);
  };
  const sale = (codes: readonly string[], saleId = 'sale-1') => ({
    codes: codes as VoucherCode[],
    cart: order,
    saleId,
  });
  const told = (redeemed: readonly SaleRedemption[]) =>
    redeemed.map(({ code, result }) => [
      code,
      result.kind,
      result.kind === 'accepted' ? result.discountFen : reasonOf(result)?.code,
    ]);

  it('decides them together: each durable as pending and charged to the lease, one nudge', async () => {
    await seedOrder(someCodes(2, 'B-PAIR'));
    const { redeemer, nudges } = offlineRedeemer();
    const redeemed = await redeemer.redeemSale(sale(['CODE-B-PAIR-0', 'CODE-B-PAIR-1']));
    expect(told(redeemed)).toEqual([
      ['CODE-B-PAIR-0', 'accepted', 1_000],
      ['CODE-B-PAIR-1', 'accepted', 1_000],
    ]);
    const stored = await db.redemptions.orderBy('code').toArray();
    expect(stored.map((r) => [r.code, r.state, r.saleId, r.request.offline?.discountFen])).toEqual([
      ['CODE-B-PAIR-0', 'pending', 'sale-1', 1_000],
      ['CODE-B-PAIR-1', 'pending', 'sale-1', 1_000],
    ]);
    // Each names the other as its companion, as the server judges them.
    expect(stored.map((r) => r.request.companions)).toEqual([['CODE-B-PAIR-1'], ['CODE-B-PAIR-0']]);
    const room = await allowanceRoom(db, clock);
    expect(room.ok && [room.usedCount, room.usedValueFen]).toEqual([2, 2_000]);
    expect(nudges).toHaveLength(1);
  });

  it('lets exactly one of two through on a lease with room for one', async () => {
    await seedOrder(someCodes(2, 'B-PAIR'), lease({ maxCount: 1 }));
    const { redeemer } = offlineRedeemer();
    const redeemed = await redeemer.redeemSale(sale(['CODE-B-PAIR-0', 'CODE-B-PAIR-1']));
    expect(told(redeemed)).toEqual([
      ['CODE-B-PAIR-0', 'accepted', 1_000],
      ['CODE-B-PAIR-1', 'refused', 'OFFLINE_ALLOWANCE_EXCEEDED'],
    ]);
    expect(await countLeaseUsage(db, LEASE_ID)).toMatchObject({ count: 1, valueFen: 1_000 });
  });

  it('lets exactly one voucher through when two orders are paid at once on a lease with room for one', async () => {
    await seedOrder(someCodes(4, 'B-PAIR'), lease({ maxCount: 1 }));
    // Two tabs of one till: two redeemers on one database.
    const [a, b] = [offlineRedeemer().redeemer, offlineRedeemer().redeemer];
    const both = await Promise.all([
      a.redeemSale(sale(['CODE-B-PAIR-0', 'CODE-B-PAIR-1'], 'sale-a')),
      b.redeemSale(sale(['CODE-B-PAIR-2', 'CODE-B-PAIR-3'], 'sale-b')),
    ]);
    const kinds = both.flat().map((r) => r.result.kind);
    expect(kinds.filter((k) => k === 'accepted')).toHaveLength(1);
    expect(await db.redemptions.where('state').equals('pending').count()).toBe(1);
    expect(await countLeaseUsage(db, LEASE_ID)).toMatchObject({ count: 1 });
  });

  it('answers as the same vouchers redeemed one after another would (a capped batch too)', async () => {
    const codes = ['CODE-B-PAIR-CAP-0', 'CODE-B-CASH-0', 'CODE-B-PAIR-CAP-1'];
    const seedAll = () => seedOrder([...someCodes(2, 'B-PAIR-CAP'), ...someCodes(1)]);
    await seedAll();
    const { redeemer: oneByOne } = offlineRedeemer();
    const sequential: SaleRedemption[] = [];
    for (const code of codes)
      sequential.push({
        code: code as VoucherCode,
        result: await oneByOne.redeem({
          code: code as VoucherCode,
          cart: order,
          saleId: 'sale-1',
          companions: codes as VoucherCode[],
        }),
      });
    await db.delete();
    db = new TillpointDb(`redeem-test-${seq}-together`);
    await seedAll();
    const together = await offlineRedeemer().redeemer.redeemSale(sale(codes));
    expect(told(together)).toEqual(told(sequential));
    // The cap lets one of the two capped vouchers through, whichever way they are redeemed.
    expect(told(together).filter(([, kind]) => kind === 'accepted')).toHaveLength(2);
  });

  it('stores none of them, charges nothing and says so for each when one decision fails', async () => {
    await seed([...someCodes(1), { code: 'CODE-BROKEN', batchId: 'B-BROKEN' }]);
    // A batch the rules cannot read (a bug, or a corrupted cache): judging it throws.
    await db.batches.put({ ...cash, id: 'B-BROKEN' as never, benefit: { kind: 'bogus' } as never });
    const { redeemer, nudges } = offlineRedeemer();
    const redeemed = await redeemer.redeemSale(sale(['CODE-B-CASH-0', 'CODE-BROKEN']));
    expect(redeemed.map((r) => r.result.kind)).toEqual(['error', 'error']);
    expect(await db.redemptions.count()).toBe(0);
    expect(await db.meta.get('leaseUsage')).toBeUndefined();
    expect(nudges).toHaveLength(0);
  });
});

describe("a capped batch's codes on one order, decided offline", () => {
  const order = aCart([aLine({ unitPriceFen: 10_000 })]);
  const memberOrder = aCart([aLine({ unitPriceFen: 10_000 })], { customerId: 'm-7' });
  const limited = (id: string, limits: { dailyCap?: number; perCustomerDailyLimit?: number }) =>
    aBatch({ id, benefit: { kind: 'cash', valueFen: 500 }, perOrderLimit: 4, ...limits });
  /** Redeems `sequence` in turn, each sent with every code of the sale as its companions. */
  async function redeemInTurn(
    sequence: readonly string[],
    sale: { codes: readonly string[]; saleId: string; cart?: typeof order },
  ): Promise<(string | undefined)[]> {
    const { redeemer } = offlineRedeemer();
    const told: (string | undefined)[] = [];
    for (const code of sequence) {
      const result = await redeemer.redeem({
        code: code as VoucherCode,
        cart: sale.cart ?? order,
        saleId: sale.saleId,
        companions: sale.codes as VoucherCode[],
      });
      told.push(result.kind === 'accepted' ? 'accepted' : reasonOf(result)?.code);
    }
    return told;
  }
  const seedBatch = async (batch: ReturnType<typeof aBatch>, n: number) => {
    await seed(someCodes(n, batch.id));
    await db.batches.put(batch);
    return someCodes(n, batch.id).map((c) => c.code);
  };

  it('accepts both codes under a daily cap of 2, in either order', async () => {
    // A batch for each order, so each starts with nothing used today.
    const [a, b] = (await seedBatch(limited('B-CAP2-X', { dailyCap: 2 }), 2)) as [string, string];
    const [c, d] = (await seedBatch(limited('B-CAP2-Y', { dailyCap: 2 }), 2)) as [string, string];
    expect(await redeemInTurn([a, b], { codes: [a, b], saleId: 'sale-1' })).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(await redeemInTurn([d, c], { codes: [c, d], saleId: 'sale-2' })).toEqual([
      'accepted',
      'accepted',
    ]);
  });

  it('accepts exactly one under a daily cap of 1, the other refused with the cap, in either order', async () => {
    const [a, b] = (await seedBatch(limited('B-CAP1-X', { dailyCap: 1 }), 2)) as [string, string];
    const [c, d] = (await seedBatch(limited('B-CAP1-Y', { dailyCap: 1 }), 2)) as [string, string];
    const first = await redeemInTurn([a, b], { codes: [a, b], saleId: 'sale-1' });
    const reversed = await redeemInTurn([d, c], { codes: [c, d], saleId: 'sale-2' });
    for (const told of [first, reversed]) {
      expect(told.filter((t) => t === 'accepted')).toHaveLength(1);
      expect(told.filter((t) => t !== 'accepted')).toEqual(['DAILY_CAP_REACHED']);
    }
  });

  it("accepts exactly one under a per-customer daily limit of 1 on the member's order", async () => {
    const codes = await seedBatch(limited('B-PER-MEMBER', { perCustomerDailyLimit: 1 }), 2);
    expect(await redeemInTurn(codes, { codes, saleId: 'sale-1', cart: memberOrder })).toEqual([
      'accepted',
      'CUSTOMER_DAILY_LIMIT',
    ]);
  });

  it('counts once a companion redeemed earlier today for another sale', async () => {
    const [a, b, c] = (await seedBatch(limited('B-CAP2', { dailyCap: 2 }), 3)) as [
      string,
      string,
      string,
    ];
    expect(await redeemInTurn([a], { codes: [a], saleId: 'sale-1' })).toEqual(['accepted']);
    // a is sale-1's: a use of today (and already redeemed for this sale), not one of its vouchers.
    expect(await redeemInTurn([b, c], { codes: [a, b, c], saleId: 'sale-2' })).toEqual([
      'accepted',
      'DAILY_CAP_REACHED',
    ]);
  });

  it('holds the cap when a code joins the sale after another of it was redeemed', async () => {
    const [a, b] = (await seedBatch(limited('B-CAP1', { dailyCap: 1 }), 2)) as [string, string];
    expect(await redeemInTurn([b], { codes: [b], saleId: 'sale-1' })).toEqual(['accepted']);
    // a is the smaller code, which the rules prefer to b; b is already used and took the cap.
    expect(await redeemInTurn([a], { codes: [a, b], saleId: 'sale-1' })).toEqual([
      'DAILY_CAP_REACHED',
    ]);
  });
});

describe('an online attempt that gets no answer', () => {
  /** A server that takes the request and never answers: the client times out. */
  async function silentServer() {
    return startFakeServer(() => 'hang');
  }
  const timingOut = (url: string) =>
    createApiClient({
      baseUrl: url,
      terminalToken: () => 'tok'.repeat(12),
      sessionToken: () => null,
      timeoutMs: 150,
    });

  it('is unconfirmed, not refused, when the offline rules then refuse it — and is never pushed', async () => {
    await seed(someCodes(1), lease({ maxCount: 0 }));
    const server = await silentServer();
    try {
      const { quick } = offlineRedeemer(timingOut(server.url), true);
      const result = await quick('CODE-B-CASH-0');
      // The cashier is told "refused" (the terminal cannot promise it)…
      expect(reasonOf(result)).toEqual({ code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'count' });
      // …but the record does not pretend the server refused it: it may have been accepted.
      const [record] = await db.redemptions.toArray();
      expect(record).toMatchObject({
        state: 'unconfirmed',
        queued: 0,
        decidedBy: 'terminal',
        attempts: 1,
        request: { offline: null },
      });
      // Never pushed: a push would redeem a code the customer was told was refused.
      expect(await nextToPush(db)).toHaveLength(0);
      // And it does not block the customer's next try of the same code.
      await db.meta.put({ key: 'lease', lease: lease({ leaseId: LEASE_ID, maxCount: 5 }) });
      const { quick: quickOffline } = offlineRedeemer();
      expect((await quickOffline('CODE-B-CASH-0')).kind).toBe('accepted');
    } finally {
      await server.close();
    }
  });

  it('becomes an offline item with the same id when the offline rules accept it', async () => {
    await seed(someCodes(1));
    const server = await silentServer();
    try {
      const { quick, nudges } = offlineRedeemer(timingOut(server.url), true);
      const result = await quick('CODE-B-CASH-0');
      expect(result.kind === 'accepted' && result.pendingSync).toBe(true);
      expect(nudges).toHaveLength(1);
      const [record] = await db.redemptions.toArray();
      expect(record?.state).toBe('pending');
      expect(record?.request.offline).toEqual({ leaseId: LEASE_ID, discountFen: 1_000 });
      // The same id the online attempt carried, so the server can answer it with what it stored.
      expect(record?.id).toBe((server.requests[0]?.body as { id: string }).id);
      expect((await nextToPush(db)).map((r) => r.id)).toEqual([record?.id]);
    } finally {
      await server.close();
    }
  });

  it('flags a pushed offline acceptance that the server had refused as seen differently', () => {
    const told = redemptionRecord();
    const changes = outcomeChanges(
      { status: 'rejected', reason: { code: 'CODE_VOID' } },
      1,
      NOW,
      told,
    );
    expect(changes).toMatchObject({ state: 'rejected', unseenConflict: 1, queued: 0 });
    const same = outcomeChanges(
      {
        status: 'accepted',
        redemptionId: told.id,
        code: told.code,
        batchId: 'B-CASH' as never,
        discountFen: told.discountFen,
        storeId: STORE,
        terminalId: TERMINAL,
        at: told.request.at,
      },
      1,
      NOW,
      told,
    );
    expect(same).not.toHaveProperty('unseenConflict');
  });
});

describe('pushing after a refusal', () => {
  it('leaves unconfirmed records out of every push', async () => {
    const unconfirmed = redemptionRecord({ state: 'unconfirmed', queued: 0 });
    const records: RedemptionRecord[] = [redemptionRecord(), unconfirmed];
    await db.redemptions.bulkAdd(records);
    const server = await startFakeServer((req) => ({
      status: 200,
      body: {
        outcomes: (req.body as { items: { id: string; code: string }[] }).items.map((r) => ({
          id: r.id,
          outcome: { status: 'rejected', reason: { code: 'UNKNOWN_CODE' } },
        })),
      },
    }));
    try {
      const api = createApiClient({
        baseUrl: server.url,
        terminalToken: () => 'tok'.repeat(12),
        sessionToken: () => null,
      });
      await pushOnce(db, api, deps);
      const pushed = server.requests.flatMap((r) =>
        (r.body as { items: { id: string }[] }).items.map((i) => i.id),
      );
      expect(pushed).toEqual([records[0]?.id]);
      expect((await db.redemptions.get(unconfirmed.id))?.state).toBe('unconfirmed');
    } finally {
      await server.close();
    }
  });
});
