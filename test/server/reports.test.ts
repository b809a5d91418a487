import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AlertsAnswer,
  BatchReport,
  Dashboard,
  RedemptionResponse,
  SalesReport,
  StoreDayReport,
  Tender,
} from '../../core/protocol';
import { cellText, type Table } from '../../core/reports/table';
import { localTime } from '../../core/time';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  loginManager,
  pairTerminal,
  redemption,
  saleRequest,
  type PairedTerminal,
} from '../helpers/server-client';

const cash = (amountFen: number): Tender =>
  ({ kind: 'cash', amountFen, tenderedFen: amountFen }) as Tender;

/** A CSV answer as rows of fields (no field of these reports holds a comma or a quote). */
const csvRows = (text: string): string[][] =>
  text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(','));

/** A JSON table as the CSV must print it, header included. */
const asCsv = (t: Table, locale: 'zh-CN' | 'en'): string[][] => [
  t.columns.map((c) => c.label[locale]),
  ...t.rows.map((r) => t.columns.map((c, i) => cellText(c, r[i] ?? null, locale))),
];

describe.each(DRIVERS)('the report endpoints on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let chain: string;
  let storeManager: string;
  const today = localTime(Date.now()).date;
  const range = `from=${today}&to=${today}`;
  const get = <T>(path: string, token = chain) => call<T>(server.url, 'GET', path, { token });

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    const other = await pairTerminal(server, 'gz-001');
    chain = await loginManager(server, 0);
    storeManager = await loginManager(server, 1);
    const cart = cartOf([['latte', 'coffee', 2800, 2]]);
    const codes = demoCodes(server, 'demo-cash');
    for (const [t, code] of [
      [till, codes[0]],
      [till, codes[1]],
      [other, codes[2]],
    ] as const) {
      const req = redemption(t, code ?? '', { cart });
      const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
        token: t.token,
        body: req,
      });
      expect(r.json.outcome.status).toBe('accepted');
      const s = saleRequest(t, cart, [1000], [req.id], [cash(4600)]);
      expect(
        (await call(server.url, 'POST', '/v1/sales', { token: t.token, body: s })).status,
      ).toBe(200);
    }
  });
  afterAll(() => server.close());

  it('reports a batch: its redemptions, discount and the sales that carried it, by store', async () => {
    const r = await get<BatchReport>(`/v1/manager/reports/batches/demo-cash?${range}`);
    expect(r.status).toBe(200);
    const f = r.json.funnel;
    const cell = (key: string) => f.rows[0]?.[f.columns.findIndex((c) => c.key === key)];
    expect(cell('redemptions')).toBe(3);
    expect(cell('discountFen')).toBe(3000);
    expect(cell('voucherSales')).toBe(3);
    expect(cell('voucherSalesFen')).toBe(3 * 5600);
    expect(r.json.ranking.rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      [1, 'sh-001', 2],
      [2, 'gz-001', 1],
    ]);
    // Demo codes have no claim time: counted, but in no cycle bucket.
    expect(r.json.cycle.rows.map((row) => row[1])).toEqual([0, 0, 0, 0, 0, 0]);
    const hours = r.json.hours.rows.reduce((s, row) => s + Number(row[2]), 0);
    expect(hours).toBe(3);
  });

  it('maps every store by day and ranks them, over every batch and for one', async () => {
    for (const batch of ['', '&batchId=demo-cash']) {
      const r = await get<StoreDayReport>(`/v1/manager/reports/store-days?${range}${batch}`);
      expect(r.status).toBe(200);
      // Every store of the chain, by id, quiet ones at zero: [store, date, redemptions, discount].
      expect(r.json.heatmap.rows.filter((row) => row[2] !== 0)).toEqual([
        ['gz-001', today, 1, 1000],
        ['sh-001', today, 2, 2000],
      ]);
      expect(r.json.heatmap.rows).toHaveLength(4);
      expect(r.json.ranking.rows).toEqual([
        [1, 'sh-001', 2, 2000, 2, 2 * 5600],
        [2, 'gz-001', 1, 1000, 1, 5600],
      ]);
    }
  });

  it('holds a store manager to their own store', async () => {
    const mine = await get<BatchReport>(
      `/v1/manager/reports/batches/demo-cash?${range}`,
      storeManager,
    );
    expect(mine.json.ranking.rows.map((row) => row[1])).toEqual(['sh-001']);
    const other = await get(
      `/v1/manager/reports/batches/demo-cash?${range}&storeId=gz-001`,
      storeManager,
    );
    expect(other.status).toBe(403);
  });

  it('answers each table’s CSV with the rows of its JSON report, in both languages', async () => {
    const batch = (await get<BatchReport>(`/v1/manager/reports/batches/demo-cash?${range}`)).json;
    const stores = (await get<StoreDayReport>(`/v1/manager/reports/store-days?${range}`)).json;
    const sales = (await get<SalesReport>(`/v1/manager/reports/sales?${range}`)).json;
    const tables: [string, Table][] = [
      ['funnel', batch.funnel],
      ['cycle', batch.cycle],
      ['ranking', batch.ranking],
      ['hours', batch.hours],
      ['heatmap', stores.heatmap],
      ['tenders', sales.tenders],
    ];
    for (const [name, table] of tables)
      for (const locale of ['zh-CN', 'en'] as const) {
        const csv = await get(
          `/v1/manager/reports/csv/${name}?${range}&batchId=demo-cash&locale=${locale}`,
        );
        expect(csv.status).toBe(200);
        expect(csv.headers.get('content-type')).toContain('text/csv');
        expect(csvRows(csv.text)).toEqual(asCsv(table, locale));
      }
    // The heatmap has a cell for every store of the chain, zeros included.
    expect(stores.heatmap.rows).toHaveLength(4);
    expect(sales.tenders.rows).toEqual([
      ['gz-001', today, 'cash', 1, 4600, 0, 0, 4600],
      ['gz-001', today, 'voucher', 1, 1000, 0, 0, 1000],
      ['sh-001', today, 'cash', 2, 9200, 0, 0, 9200],
      ['sh-001', today, 'voucher', 2, 2000, 0, 0, 2000],
    ]);
  });

  it('raises a low redemption rate after three days under the threshold, as the setting says', async () => {
    // Three days of claims with almost no redemptions, as the claim page would have counted them.
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03'])
      await server.db.exec(
        `insert into report_batch_day (batch_id, store_id, day, views, claims, redemptions, discount_fen,
          cycle0, cycle1, cycle2, cycle3, cycle4to7, cycle_over7, voucher_sales, voucher_sales_fen)
         values ('demo-threshold', 'hz-001', ?, 400, 100, 1, 2000, 1, 0, 0, 0, 0, 0, 0, 0)`,
        [day],
      );
    const codes = (a: AlertsAnswer) =>
      a.alerts.filter((x) => x.alert.batchId === 'demo-threshold').map((x) => x.alert.code);
    const onDay = (date: string) => get<AlertsAnswer>(`/v1/manager/alerts?date=${date}`);
    expect(codes((await onDay('2026-03-02')).json)).toEqual([]);
    const third = (await onDay('2026-03-03')).json;
    expect(codes(third)).toEqual(['LOW_REDEMPTION_RATE']);
    expect(third.alerts[0]?.message['zh-CN']).toContain('连续 3 天');

    const set = await call(server.url, 'POST', '/v1/manager/alerts/thresholds', {
      token: chain,
      body: { lowRedemptionRateBp: 50, lowClaimConversionBp: 3000 },
    });
    expect(set.status).toBe(200);
    expect(codes((await onDay('2026-03-03')).json)).toEqual(['LOW_CLAIM_CONVERSION']);
    const refused = await call(server.url, 'POST', '/v1/manager/alerts/thresholds', {
      token: storeManager,
      body: {},
    });
    expect(refused.status).toBe(403);
  });

  it('shows today on the dashboard: sales, redemptions, conflicts waiting and lapsed tills', async () => {
    const r = await get<Dashboard>('/v1/manager/dashboard');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      date: today,
      sales: 3,
      salesFen: 3 * 4600,
      redemptions: 3,
      discountFen: 3000,
      conflictsWaiting: 0,
      // Neither till has taken an offline allowance: neither has shown it is still in reach.
      tillsOffline: 2,
    });
    const mine = await get<Dashboard>('/v1/manager/dashboard', storeManager);
    expect(mine.json).toMatchObject({ sales: 2, redemptions: 2, tillsOffline: 1 });
  });
});
