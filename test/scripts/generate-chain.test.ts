import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchReport, SalesReport, Session, StoreDayReport } from '../../core/protocol';
import { keyOf, type AggregateRow, type Aggregates } from '../../core/reports/aggregates';
import type { Table } from '../../core/reports/table';
import { openDatabase, type DatabaseHandle } from '../../server/db/connect';
import { aggregatesFromLedger, storedAggregates } from '../../server/reports/rebuild';
import { CHAIN_MANAGER } from '../../server/seed/chain';
import { call } from '../helpers/server-client';
import { createPgDatabase, DRIVERS } from '../helpers/server-harness';
import { spawnServer, type ServerProcess } from '../helpers/server-process';

/** A 250th of the chain: 3 stores, 2 batches, 8,000 claims, 4,000 redemptions, 4,000 sales. */
const SCALE = '0.004';

function generate(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/generate-chain.ts', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

/** A column of a report table, summed over its rows (optionally those `where` keeps). */
function sum(t: Table, key: string, where: (row: Table['rows'][number]) => boolean = () => true) {
  const i = t.columns.findIndex((c) => c.key === key);
  expect(i).toBeGreaterThanOrEqual(0);
  return t.rows.filter(where).reduce((s, r) => s + Number(r[i] ?? 0), 0);
}

/** The stored aggregates without page views, which only the aggregates keep (no log of them). */
function withoutViews(a: Aggregates): Map<string, AggregateRow> {
  const out = new Map<string, AggregateRow>();
  for (const r of a.values()) {
    const row: AggregateRow = r.table === 'batch_day' ? { ...r, row: { ...r.row, views: 0 } } : r;
    out.set(keyOf(row), row);
  }
  return out;
}

describe.each(DRIVERS)('npm run generate-chain on %s', (driver) => {
  let dataDir: string;
  let pg: { url: string; drop(): Promise<void> } | null = null;
  let handle: DatabaseHandle;
  let server: ServerProcess;
  let token: string;
  let range: string;
  const count = async (query: string): Promise<number> => {
    const r = await sql<{ n: unknown }>`${sql.raw(query)}`.execute(handle.db);
    return Number(r.rows[0]?.n ?? 0);
  };
  const get = async <T>(path: string): Promise<T> => {
    const r = await call<T>(server.url, 'GET', path, { token });
    expect(r.status, r.text).toBe(200);
    return r.json;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-chain-'));
    if (driver === 'postgres') pg = await createPgDatabase();
    const run = await generate([
      '--data-dir',
      dataDir,
      '--scale',
      SCALE,
      ...(pg ? ['--postgres', pg.url] : []),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('# done:');
    handle = await openDatabase({ dataDir, databaseUrl: pg?.url });
    const days = await sql<{ first: string; last: string }>`
      select min(day) as first, max(day) as last from (
        select day from claims union all select day from sales) d`.execute(handle.db);
    range = `from=${days.rows[0]?.first}&to=${days.rows[0]?.last}`;
    server = await spawnServer(
      ['--port', '0', '--data-dir', dataDir],
      pg ? { DATABASE_URL: pg.url } : {},
    );
    const login = await call<Session>(server.url, 'POST', '/v1/sessions', {
      body: { kind: 'password', ...CHAIN_MANAGER },
    });
    expect(login.status, login.text).toBe(200);
    token = login.json.token;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await handle?.close();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the records the scale asks for, over 180 days with the evening peak', async () => {
    expect(await count('select count(*) as n from stores')).toBe(3);
    expect(await count('select count(*) as n from batches')).toBe(2);
    expect(await count('select count(*) as n from claims')).toBe(8000);
    expect(await count(`select count(*) as n from redemptions where status = 'accepted'`)).toBe(
      4000,
    );
    expect(await count(`select count(*) as n from sales where state = 'paid'`)).toBe(4000);
    const hours = await sql<{ hour: unknown; n: unknown }>`
      select hour, sum(claims + redemptions) as n from report_batch_hour group by hour`.execute(
      handle.db,
    );
    const evening = hours.rows
      .filter((r) => Number(r.hour) >= 18)
      .reduce((s, r) => s + Number(r.n), 0);
    // Six hours of 24 hold well over a quarter of the claims and redemptions.
    expect(evening / 12_000).toBeGreaterThan(0.4);
  });

  it('stores the aggregates a rebuild from the ledger computes', async () => {
    const ledger = await aggregatesFromLedger(handle.db);
    const stored = await storedAggregates(handle.db);
    expect(withoutViews(stored)).toEqual(new Map(ledger));
    const mismatched = await count(
      `select count(*) as n from report_store_day s full join (
        select store_id, day, sum(redemptions) as redemptions, sum(views) as views
        from report_batch_day group by store_id, day) b
       on b.store_id = s.store_id and b.day = s.day
       where b.redemptions is distinct from s.redemptions or b.views is distinct from s.views`,
    );
    expect(mismatched).toBe(0);
  });

  it('answers batch reports whose figures equal counts over the raw rows', async () => {
    for (const batch of ['b001', 'b002']) {
      const r = await get<BatchReport>(`/v1/manager/reports/batches/${batch}?${range}`);
      const claims = await count(`select count(*) as n from claims where batch_id = '${batch}'`);
      const redemptions = await count(
        `select count(*) as n from redemptions where batch_id = '${batch}' and status = 'accepted'`,
      );
      expect(sum(r.funnel, 'claims')).toBe(claims);
      expect(sum(r.funnel, 'redemptions')).toBe(redemptions);
      expect(sum(r.funnel, 'views')).toBeGreaterThan(claims);
      expect(sum(r.funnel, 'discountFen')).toBe(
        await count(`select sum(discount_fen) as n from redemptions where batch_id = '${batch}'`),
      );
      expect(sum(r.funnel, 'voucherSales')).toBe(
        await count(
          `select count(*) as n from redemptions where batch_id = '${batch}' and sale_id is not null`,
        ),
      );
      expect(sum(r.cycle, 'redemptions')).toBe(redemptions);
      expect(sum(r.ranking, 'redemptions')).toBe(redemptions);
      expect(sum(r.hours, 'claims')).toBe(claims);
      expect(sum(r.hours, 'redemptions')).toBe(redemptions);
    }
  });

  it('answers the store × day heatmap and the sales by tender as the raw rows add up', async () => {
    const heat = await get<StoreDayReport>(`/v1/manager/reports/store-days?${range}`);
    expect(sum(heat.heatmap, 'redemptions')).toBe(
      await count(`select count(*) as n from redemptions where status = 'accepted'`),
    );
    const s001 = (row: Table['rows'][number]) => row[0] === 's001';
    expect(sum(heat.heatmap, 'redemptions', s001)).toBe(
      await count(`select count(*) as n from redemptions where store_id = 's001'`),
    );
    const sales = await get<SalesReport>(`/v1/manager/reports/sales?${range}`);
    for (const kind of ['cash', 'wechat_native', 'wechat_code']) {
      const ofKind = (row: Table['rows'][number]) => row[2] === kind;
      expect(sum(sales.tenders, 'amountFen', ofKind)).toBe(
        await count(`select sum(amount_fen) as n from sale_tenders where kind = '${kind}'`),
      );
      expect(sum(sales.tenders, 'count', ofKind)).toBe(
        await count(`select count(*) as n from sale_tenders where kind = '${kind}'`),
      );
    }
    expect(sum(sales.tenders, 'amountFen', (row) => row[2] === 'voucher')).toBe(
      await count(`select sum(discount_fen) as n from sales`),
    );
  });
});
