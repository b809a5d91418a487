import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AllowanceLease,
  AuditVerdict,
  RedemptionRequest,
  RedemptionResponse,
} from '../../core/protocol';
import { loadServerKeys } from '../../server/auth/keys';
import type { TerminalActor } from '../../server/auth/actors';
import { verifyChain } from '../../server/audit/chain';
import { openDatabase } from '../../server/db/connect';
import type { Database } from '../../server/db/schema';
import { createStorage, type Storage } from '../../server/db/storage';
import { BatchCache } from '../../server/ledger/batch-cache';
import { redeemBatch } from '../../server/ledger/push';
import { redeem, type LedgerDeps } from '../../server/ledger/redeem';
import { aBatch } from '../helpers/core-builders';
import {
  DRIVERS,
  copyTestDatabase,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  loginManager,
  pairTerminal,
  redemption,
  takeLease,
  type PairedTerminal,
} from '../helpers/server-client';

/** The server's own data, opened in this process to run a ledger function on it directly. */
interface Ledger {
  readonly storage: Storage;
  readonly deps: LedgerDeps;
  readonly actor: TerminalActor;
  close(): Promise<void>;
}

async function openLedger(
  where: { dataDir: string; databaseUrl: string | undefined },
  terminalId: string,
): Promise<Ledger> {
  const storage = createStorage(await openDatabase(where));
  const t = await storage.db
    .selectFrom('terminals')
    .innerJoin('stores', 'stores.id', 'terminals.store_id')
    .select(['terminals.id', 'terminals.store_id', 'stores.time_zone', 'stores.group_ids'])
    .where('terminals.id', '=', terminalId)
    .executeTakeFirstOrThrow();
  return {
    storage,
    deps: { keys: await loadServerKeys(storage), batches: new BatchCache() },
    actor: {
      kind: 'terminal',
      terminalId: t.id,
      storeId: t.store_id,
      timeZone: t.time_zone,
      groupIds: JSON.parse(t.group_ids) as string[],
      cashierId: null,
    },
    close: () => storage.close(),
  };
}

/** The reference: what redeemBatch did before it was set-based, one redeem() per item. */
function redeemOneByOne(l: Ledger, items: readonly RedemptionRequest[], now: string) {
  return l.storage.write(async (w) => {
    const out: string[] = [];
    for (const item of items)
      out.push(await w.savepoint(() => redeem(w, l.deps, l.actor, item, now)));
    return out;
  });
}

const TABLES: readonly (keyof Database)[] = [
  'codes',
  'redemptions',
  'conflicts',
  'leases',
  'changes',
  'audit_log',
  'batches',
];

/** Every row of the tables a redemption writes, in a stable order. */
async function dump(storage: Storage): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(
      storage.db,
    );
    out[t] = rows.rows
      .map((r) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(r)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
          ),
        ),
      )
      .sort();
  }
  return out;
}

const rejected = (e: unknown) => {
  const err = e as { status?: number; code?: string; message?: string };
  return { status: err.status, code: err.code, message: err.message };
};

describe.each(DRIVERS)(
  'a set-based batch push answers as the per-item path did, on %s',
  (driver) => {
    let server: TestServer;
    let till: PairedTerminal;
    let other: PairedTerminal;
    let lease: AllowanceLease;
    let prior: RedemptionRequest;

    beforeAll(async () => {
      server = await startTestServer(driver);
      till = await pairTerminal(server, 'sh-001');
      other = await pairTerminal(server, 'gz-001');
      const manager = await loginManager(server);
      const post = async (path: string, body: unknown) => {
        const r = await call(server.url, 'POST', path, { token: manager, body });
        if (r.status >= 300) throw new Error(`${path}: ${r.status} ${r.text}`);
      };
      // A small offline allowance, so a batch runs into both of its limits.
      await post('/v1/manager/stores', {
        id: 'sh-001',
        name: '上海南京西路店',
        timeZone: 'Asia/Shanghai',
        groupIds: ['east'],
        offline: { maxCount: 8, maxValueFen: 3500, hours: 24 },
      });
      const validity = {
        type: 'fixed',
        from: '2020-01-01T00:00:00.000Z',
        until: '2099-01-01T00:00:00.000Z',
      } as const;
      await post(
        '/v1/manager/batches',
        aBatch({
          id: 'eq-capped',
          benefit: { kind: 'cash', valueFen: 300 },
          validity,
          dailyCap: 2,
        }),
      );
      await post('/v1/manager/batches/eq-capped/import', {
        codes: ['CAP-1', 'CAP-2', 'CAP-3', 'CAP-4'],
        claimedAt: null,
      });
      // Two codes of it may go on one order: each one's companions hold the other.
      await post(
        '/v1/manager/batches',
        aBatch({
          id: 'eq-capped-pair',
          benefit: { kind: 'cash', valueFen: 300 },
          validity,
          perOrderLimit: 3,
          dailyCap: 2,
        }),
      );
      await post('/v1/manager/batches/eq-capped-pair/import', {
        codes: ['PAIR-1', 'PAIR-2', 'PAIR-3'],
        claimedAt: null,
      });
      await post(
        '/v1/manager/batches',
        aBatch({
          id: 'eq-per-customer',
          benefit: { kind: 'cash', valueFen: 200 },
          validity,
          perCustomerDailyLimit: 1,
        }),
      );
      await post('/v1/manager/batches/eq-per-customer/import', {
        codes: ['PC-1', 'PC-2', 'PC-3'],
        claimedAt: null,
      });
      const cash = demoCodes(server, 'demo-cash');
      const elsewhere = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
        token: other.token,
        body: redemption(other, cash[0] ?? ''),
      });
      expect(elsewhere.json.outcome.status).toBe('accepted');
      prior = redemption(till, cash[1] ?? '');
      const first = await call(server.url, 'POST', '/v1/redemptions/batch', {
        token: till.token,
        body: { items: [prior] },
      });
      expect(first.status).toBe(200);
      lease = await takeLease(server, till);
      await server.stop();
    });
    afterAll(() => server.close());

    function scenario(): RedemptionRequest[] {
      const cash = demoCodes(server, 'demo-cash');
      const gift = demoCodes(server, 'demo-gift');
      const c = (i: number) => cash[i] ?? '';
      const off = (code: string, discountFen: number, extra: Partial<RedemptionRequest> = {}) =>
        redemption(till, code, {
          at: lease.issuedAt,
          offline: { leaseId: lease.leaseId, discountFen: discountFen as never },
          ...extra,
        });
      const genuine = c(30);
      const forged = `${genuine.slice(0, -1)}${genuine.at(-1) === 'A' ? 'B' : 'A'}`;
      const cart = cartOf([['latte', 'coffee', 2800, 2]]);
      const customerCart = { ...cart, customerId: 'member-7' };
      const accepted = redemption(till, c(2));
      return [
        prior,
        accepted,
        redemption(till, c(2)),
        accepted,
        redemption(till, c(0)),
        off(c(0), 1000),
        off(c(3), 1000, { at: new Date(Date.parse(lease.issuedAt) - 10 * 60_000).toISOString() }),
        off(c(4), 1000),
        off(c(5), 400_000),
        off(c(6), 500),
        off(c(7), 1000),
        off(c(8), 1000),
        off('NOPE-OFFLINE-1', 0),
        off('CAP-2', 0),
        off(c(9), 0),
        redemption(till, c(31), {
          at: lease.issuedAt,
          offline: { leaseId: randomUUID() as never, discountFen: 1000 as never },
        }),
        off(c(10), 0),
        off(c(11), 0),
        off(c(12), 0),
        redemption(till, gift[0] ?? '', { cart: cartOf([['croissant', 'bakery', 1500, 1]]) }),
        redemption(till, gift[1] ?? '', { cart: cartOf([['croissant', 'bakery', 9_000, 1]]) }),
        redemption(till, gift[2] ?? ''),
        redemption(till, 'NOPE-1234'),
        redemption(till, forged),
        redemption(till, 'CAP-1'),
        redemption(till, 'CAP-3'),
        redemption(till, 'CAP-4'),
        redemption(till, 'PC-1', { cart: customerCart }),
        redemption(till, 'PC-2', { cart: customerCart }),
        redemption(till, 'PC-3', { cart }),
        redemption(till, c(13), { cart }),
        redemption(till, c(14), { cart, companions: [c(13) as never] }),
        redemption(till, c(15), { cart, companions: [c(0) as never, c(15) as never] }),
        redemption(till, c(2), { cart, companions: [c(13) as never] }),
        ...['PAIR-1', 'PAIR-2', 'PAIR-3'].map((code, _, all) =>
          redemption(till, code, { cart, companions: all.filter((x) => x !== code) as never }),
        ),
      ];
    }

    it('gives the same bytes and writes the same rows as redeeming the items one by one', async () => {
      const copy = await copyTestDatabase(server);
      const before = await openLedger(server, till.terminalId);
      const after = await openLedger(copy.reuse, till.terminalId);
      try {
        const now = new Date().toISOString();
        const items = scenario();
        const expected = await redeemOneByOne(before, items, now);
        const actual = await redeemBatch(after.storage, after.deps, after.actor, items, now);
        expect(actual).toEqual(expected);
        expect(await dump(after.storage)).toEqual(await dump(before.storage));

        // The scenario covers what it claims to.
        const outcomes = actual.map((t) => (JSON.parse(t) as RedemptionResponse).outcome);
        const kinds = outcomes.map((o) =>
          o.status === 'accepted'
            ? 'accepted'
            : o.reason.code === 'OFFLINE_ALLOWANCE_EXCEEDED'
              ? `${o.status}:${o.reason.code}:${o.reason.limit}`
              : `${o.status}:${o.reason.code}`,
        );
        for (const kind of [
          'accepted',
          'rejected:ALREADY_REDEEMED',
          'conflict:ALREADY_REDEEMED',
          'conflict:OFFLINE_ALLOWANCE_EXCEEDED:before_lease',
          'conflict:OFFLINE_ALLOWANCE_EXCEEDED:value',
          'conflict:OFFLINE_ALLOWANCE_EXCEEDED:count',
          'conflict:OFFLINE_ALLOWANCE_EXCEEDED:none',
          'conflict:DISCOUNT_MISMATCH',
          'conflict:UNKNOWN_CODE',
          'rejected:PRICE_MISMATCH',
          'rejected:UNKNOWN_CODE',
          'rejected:FORGED_CODE',
          'rejected:DAILY_CAP_REACHED',
          'rejected:CUSTOMER_DAILY_LIMIT',
          'rejected:NOT_STACKABLE',
        ])
          expect(kinds).toContain(kind);
        // Replays: the earlier push's id, and an id sent twice in this push.
        expect(actual[0]).toBe(
          JSON.stringify({ id: prior.id, outcome: JSON.parse(actual[0] ?? '{}').outcome }),
        );
        expect(JSON.parse(actual[0] ?? '{}').outcome).toMatchObject({ status: 'accepted' });
        expect(actual[3]).toBe(actual[1]);
        // The same code twice: the second is already redeemed by the first, naming this till.
        expect(outcomes[2]).toMatchObject({
          status: 'rejected',
          reason: {
            code: 'ALREADY_REDEEMED',
            terminalId: till.terminalId,
            terminalName: 'till sh-001',
          },
        });
        expect(outcomes[4]).toMatchObject({
          reason: { code: 'ALREADY_REDEEMED', terminalName: 'till gz-001' },
        });
        // One order's three codes of a batch capped at 2: the first two accepted, each counted once.
        expect(outcomes.slice(-3).map((o) => o.status)).toEqual([
          'accepted',
          'accepted',
          'rejected',
        ]);
        expect(outcomes.at(-1)).toMatchObject({ reason: { code: 'DAILY_CAP_REACHED', cap: 2 } });
        expect(outcomes[8]).toMatchObject({
          reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'value', leftFen: 1500 },
        });
        // An id sent twice with different requests refuses the whole push on both, writing nothing.
        const id = randomUUID() as RedemptionRequest['id'];
        const reused = [
          redemption(till, demoCodes(server, 'demo-cash')[40] ?? '', { id }),
          redemption(till, demoCodes(server, 'demo-cash')[41] ?? '', { id }),
        ];
        const rowsBefore = await dump(after.storage);
        const refusedBefore = await redeemOneByOne(before, reused, now).catch(rejected);
        const refusedAfter = await redeemBatch(
          after.storage,
          after.deps,
          after.actor,
          reused,
          now,
        ).catch(rejected);
        expect(refusedAfter).toEqual(refusedBefore);
        expect(refusedAfter).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
        expect(await dump(after.storage)).toEqual(rowsBefore);
        expect(await verifyChain(before.storage.db)).toMatchObject({ ok: true });
      } finally {
        await before.close();
        await after.close();
      }
      // The batch path's audit chain verifies through the API.
      const restarted = await startTestServer(driver, { reuse: copy.reuse });
      try {
        const token = await loginManager(restarted);
        const verdict = await call<AuditVerdict>(restarted.url, 'GET', '/v1/audit/verify', {
          token,
        });
        expect(verdict.json).toMatchObject({ ok: true });
        expect(verdict.json.checked).toBeGreaterThan(30);
      } finally {
        await restarted.close();
        await copy.drop();
      }
    });
  },
);
