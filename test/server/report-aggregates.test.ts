import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BatchId, StoreId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { RedemptionResponse, Tender } from '../../core/protocol';
import { openDatabase } from '../../server/db/connect';
import type { Database } from '../../server/db/schema';
import { createStorage, type Storage } from '../../server/db/storage';
import { countForReports } from '../../server/reports/count';
import {
  aggregatesFromLedger,
  rebuildAggregates,
  storedAggregates,
} from '../../server/reports/rebuild';
import { redemptionRecord } from '../../server/reports/records';
import { plainAggregates, reopenStorage } from '../helpers/report-aggregates';
import {
  createPgDatabase,
  DRIVERS,
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
  saleRequest,
  takeLease,
  type PairedTerminal,
} from '../helpers/server-client';

const cash = (amountFen: number): Tender =>
  ({ kind: 'cash', amountFen, tenderedFen: amountFen }) as Tender;

/** A seeded pseudo-random sequence, so a failing workload can be run again. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe.each(DRIVERS)('report aggregates kept with the ledger on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let other: PairedTerminal;
  let manager: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    other = await pairTerminal(server, 'gz-001');
    manager = await loginManager(server);
  });
  afterAll(() => server.close());

  it('equal a rebuild from the records after mixed redemptions, conflicts, replays and sales', async () => {
    const next = random(driver === 'sqlite' ? 7 : 11);
    // Codes claimed at known times, so the cycles fall in several buckets.
    const claimed = Array.from({ length: 40 }, (_, i) => `RPT-${driver.toUpperCase()}-${i}`);
    for (const [i, codes] of [claimed.slice(0, 20), claimed.slice(20)].entries()) {
      const r = await call(server.url, 'POST', '/v1/manager/batches/demo-cash/import', {
        token: manager,
        body: {
          codes,
          claimedAt: new Date(Date.now() - (i === 0 ? 2 : 9) * 86_400_000).toISOString(),
        },
      });
      expect(r.status).toBe(200);
    }
    const pool = [...claimed, ...demoCodes(server, 'demo-cash').slice(0, 30)];
    const lease = await takeLease(server, till);
    const accepted: { till: PairedTerminal; id: string }[] = [];
    for (let round = 0; round < 12; round++) {
      const t = next() < 0.5 ? till : other;
      const pick = () => pool[Math.floor(next() * pool.length)] ?? '';
      if (next() < 0.5) {
        // Single online redemptions, some of codes already taken.
        const req = redemption(t, pick());
        const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
          token: t.token,
          body: req,
        });
        expect(r.status).toBe(200);
        if (r.json.outcome.status === 'accepted') accepted.push({ till: t, id: req.id });
        // A replay counts nothing twice.
        if (next() < 0.3)
          await call(server.url, 'POST', '/v1/redemptions', { token: t.token, body: req });
      } else {
        // An offline push from `till`: beyond the lease or of taken codes, they are conflicts.
        const items = Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
          redemption(till, pick(), {
            at: lease.issuedAt,
            offline: { leaseId: lease.leaseId, discountFen: 1000 as Fen },
          }),
        );
        const r = await call<{ outcomes: RedemptionResponse[] }>(
          server.url,
          'POST',
          '/v1/redemptions/batch',
          { token: till.token, body: { items } },
        );
        expect(r.status).toBe(200);
        r.json.outcomes.forEach((o) => {
          if (o.outcome.status === 'accepted') accepted.push({ till, id: o.id });
        });
      }
    }
    // Cash sales, some carrying an accepted voucher of their till.
    const cart = cartOf([['latte', 'coffee', 2800, 2]]);
    for (const a of accepted.slice(0, 6)) {
      const s = saleRequest(a.till, cart, [1000], [a.id], [cash(4600)]);
      const r = await call(server.url, 'POST', '/v1/sales', { token: a.till.token, body: s });
      expect(r.status).toBe(200);
    }
    const plainSale = saleRequest(till, cart, [], [], [cash(5600)]);
    await call(server.url, 'POST', '/v1/sales', { token: till.token, body: plainSale });
    expect(accepted.length).toBeGreaterThan(3);

    await server.stop();
    const storage = await reopenStorage(server);
    try {
      const stored = await storedAggregates(storage.db);
      expect(plainAggregates(stored)).toEqual(
        plainAggregates(await aggregatesFromLedger(storage.db)),
      );
      // The per-store rows the commit groups upserted beside the batch rows are their sums.
      const storeDays = await storeDayMismatches(storage.db);
      expect(storeDays.rows).toBeGreaterThan(0);
      expect(storeDays.mismatched).toBe(0);
      const batchDays = [...stored.values()].filter((a) => a.table === 'batch_day');
      const redemptions = batchDays.reduce(
        (s, a) => s + (a.table === 'batch_day' ? a.row.redemptions : 0),
        0,
      );
      expect(redemptions).toBeGreaterThanOrEqual(accepted.length);
      expect([...stored.values()].some((a) => a.table === 'tender_day')).toBe(true);
      // The rebuild (the migration's backfill) writes the same rows back.
      await storage.write(async (w) => rebuildAggregates(w.trx));
      expect(plainAggregates(await storedAggregates(storage.db))).toEqual(plainAggregates(stored));
    } finally {
      await storage.close();
    }
  });
});

describe.each(DRIVERS)('report aggregates of a failed write on %s', (driver) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(): Promise<Storage> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-reports-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const pgDb = driver === 'postgres' ? await createPgDatabase() : null;
    if (pgDb) cleanups.push(() => pgDb.drop());
    const storage = createStorage(await openDatabase({ dataDir, databaseUrl: pgDb?.url }));
    cleanups.push(() => storage.close());
    return storage;
  }

  const at = '2026-03-02T02:00:00.000Z';
  const one = (batch: string) =>
    redemptionRecord(batch as BatchId, 'S1' as StoreId, at, null, 100 as Fen);

  it('leave nothing of a job that throws, a savepoint rolled back, or a job run without one', async () => {
    const storage = await open();
    const jobs = [
      storage.write(async (w) => countForReports(w, [one('kept')], 'Asia/Shanghai')),
      storage.write(async (w) => {
        countForReports(w, [one('job-failed')], 'Asia/Shanghai');
        throw new Error('the job fails after counting');
      }),
      storage.write(async (w) => {
        countForReports(w, [one('kept')], 'Asia/Shanghai');
        await w
          .savepoint(async () => {
            countForReports(w, [one('savepoint-failed')], 'Asia/Shanghai');
            throw new Error('the inner step fails');
          })
          .catch(() => undefined);
      }),
      storage.write(
        async (w) => {
          countForReports(w, [one('bare-failed')], 'Asia/Shanghai');
          throw new Error('a job without a savepoint fails');
        },
        { withoutSavepoint: true },
      ),
      storage.write(async (w) => countForReports(w, [one('kept')], 'Asia/Shanghai'), {
        withoutSavepoint: true,
      }),
    ];
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const rows = [...(await storedAggregates(storage.db)).values()];
    expect(rows.map((a) => [a.table, a.row])).toEqual(
      expect.arrayContaining([
        [
          'batch_day',
          expect.objectContaining({
            batchId: 'kept',
            date: '2026-03-02',
            redemptions: 3,
            discountFen: 300,
          }),
        ],
        ['batch_hour', expect.objectContaining({ batchId: 'kept', hour: 10, redemptions: 3 })],
      ]),
    );
    expect(rows).toHaveLength(2);
  });
});

/** report_store_day against report_batch_day summed over batches: rows, and rows that differ. */
async function storeDayMismatches(db: Kysely<Database>) {
  const sums = (t: string) =>
    sql.raw(`select store_id, day, sum(redemptions) as r, sum(discount_fen) as d, sum(claims) as c,
      sum(voucher_sales_fen) as v from ${t} group by store_id, day`);
  const r = await sql<{ rows: unknown; mismatched: unknown }>`
    select count(*) as rows, sum(case when b.r is distinct from s.r or b.d is distinct from s.d
      or b.c is distinct from s.c or b.v is distinct from s.v then 1 else 0 end) as mismatched
    from (${sums('report_store_day')}) s full join (${sums('report_batch_day')}) b
      on b.store_id = s.store_id and b.day = s.day`.execute(db);
  return { rows: Number(r.rows[0]?.rows), mismatched: Number(r.rows[0]?.mismatched) };
}
