import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ROUTES,
  type ApiError,
  type Dashboard,
  type ManagerApproval,
  type PaymentView,
  type RefundView,
  type SaleResponse,
  type SalesReport,
  type SaleView,
  type Tender,
} from '../../core/protocol';
import { cellText } from '../../core/reports/table';
import { localTime } from '../../core/time';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import { parseWechatPayConfig } from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import { storedAggregates } from '../../server/reports/rebuild';
import { recountRefunds } from '../../server/reports/refunds';
import { expectRebuildAgrees, plainAggregates, reopenStorage } from '../helpers/report-aggregates';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  cartOf,
  loginManager,
  pairTerminal,
  saleRequest,
  type PairedTerminal,
} from '../helpers/server-client';

/** The demo's manager of sh-001 (server/seed/demo.ts). */
const MANAGER: ManagerApproval = { username: 'sh001-manager', password: 'tillpoint-manager' };
/** Two lattes at the catalog's ¥28. */
const CART = cartOf([['latte', 'coffee', 2_800, 2]]);
const PRICE = 5_600;

type TenderCounts = { sales: number; amount: number; refunds: number; refundFen: number };

describe.each(DRIVERS)('refunds in the sales report on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;
  let chain: string;
  const today = localTime(Date.now()).date;

  const post = <T>(path: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: till.token, body });
  const get = <T>(path: string) => call<T>(server.url, 'GET', path, { token: till.token });

  /** sh-001's sales report row of a tender today (the console's JSON), zeros if it has none. */
  async function tender(kind: string): Promise<TenderCounts & { net: number }> {
    const r = await call<SalesReport>(
      server.url,
      'GET',
      `/v1/manager/reports/sales?from=${today}&to=${today}&storeId=sh-001`,
      { token: chain },
    );
    expect(r.status).toBe(200);
    const row = r.json.tenders.rows.find((x) => x[2] === kind);
    const [sales, amount, refunds, refundFen, net] = (row ?? [0, 0, 0, 0, 0, 0, 0, 0])
      .slice(3)
      .map(Number);
    return {
      sales: sales ?? 0,
      amount: amount ?? 0,
      refunds: refunds ?? 0,
      refundFen: refundFen ?? 0,
      net: net ?? 0,
    };
  }
  const plus = (before: TenderCounts, d: Partial<TenderCounts>) => {
    const after = {
      sales: before.sales + (d.sales ?? 0),
      amount: before.amount + (d.amount ?? 0),
      refunds: before.refunds + (d.refunds ?? 0),
      refundFen: before.refundFen + (d.refundFen ?? 0),
    };
    return { ...after, net: after.amount - after.refundFen };
  };

  /** A sale of two lattes paid by `tenders` (WeChat ones paid at the simulator), once paid. */
  async function sale(tenders: Tender[]): Promise<string> {
    const s = saleRequest(till, CART, [], [], tenders);
    expect((await post<SaleResponse>('/v1/sales', s)).status).toBe(200);
    for (const t of tenders) {
      if (t.kind === 'cash') continue;
      const created = await post<PaymentView>('/v1/payments/native', {
        paymentId: t.paymentId,
        saleId: s.id,
        amountFen: t.amountFen,
      });
      expect(sim.control.scan(created.json.codeUrl ?? '', {})).toMatchObject({ ok: true });
    }
    await vi.waitFor(
      async () => expect((await get<SaleView>(`/v1/sales/${s.id}`)).json.state).toBe('paid'),
      { timeout: 5_000, interval: 50 },
    );
    return s.id;
  }
  const cash = (amountFen: number): Tender =>
    ({ kind: 'cash', amountFen, tenderedFen: amountFen }) as Tender;
  const wechat = (amountFen: number): Tender =>
    ({ kind: 'wechat_native', amountFen, paymentId: randomUUID() }) as Tender;

  const refund = async (saleId: string, amountFen: number) => {
    const r = await post<RefundView & ApiError>('/v1/refunds', {
      refundId: randomUUID(),
      saleId,
      amountFen,
      reason: '顾客退货',
      approval: MANAGER,
    });
    expect(r.status).toBe(200);
    return r.json;
  };
  const refundEnds = (refundId: string, state: RefundView['state']) =>
    vi.waitFor(
      async () => expect((await get<RefundView>(`/v1/refunds/${refundId}`)).json.state).toBe(state),
      { timeout: 8_000, interval: 100 },
    );
  /** Runs `body` with WeChat's refunds ending `result`, then puts SUCCESS back. */
  async function withRefunds(
    result: 'SUCCESS' | 'ABNORMAL' | 'CLOSED',
    body: () => Promise<void>,
  ): Promise<void> {
    sim.control.setRefundBehaviour({ result, afterMs: 0 });
    try {
      await body();
    } finally {
      sim.control.setNotifyMode('deliver');
      sim.control.setRefundBehaviour({ result: 'SUCCESS', afterMs: 0 });
    }
  }

  beforeAll(async () => {
    sim = await startWechatPaySimulator({ notifyRetryDelaysMs: [50, 50, 50] });
    server = await startTestServer(driver, {
      payments: {
        provider: (url) => {
          const merchant = sim.merchantConfig({
            notifyUrl: `${url}${ROUTES.wechatNotify.path}`,
            keyMode: 'public-key',
          });
          const loaded = parseWechatPayConfig(merchant);
          if (!loaded.ok) throw new Error(loaded.message);
          return createWechatPayV3Provider(loaded.value);
        },
      },
    });
    till = await pairTerminal(server, 'sh-001');
    chain = await loginManager(server, 0);
  });
  afterAll(async () => {
    await server.close();
    await sim.close();
  });

  it('counts cash handed back under cash on the refund’s day, at once, and nets it', async () => {
    const saleId = await sale([cash(PRICE)]);
    const before = await tender('cash');
    await refund(saleId, 2_000);
    expect(await tender('cash')).toEqual(plus(before, { refunds: 1, refundFen: 2_000 }));
  });

  it('keeps a sale refunded in part or in full among the dashboard’s sales of the day', async () => {
    const dashboard = async () =>
      (await call<Dashboard>(server.url, 'GET', '/v1/manager/dashboard', { token: chain })).json;
    const before = await dashboard();
    const partly = await sale([cash(PRICE)]);
    const whole = await sale([cash(PRICE)]);
    await refund(partly, 1_000);
    await refund(whole, PRICE);
    expect((await get<SaleView>(`/v1/sales/${partly}`)).json.state).toBe('partly_refunded');
    expect((await get<SaleView>(`/v1/sales/${whole}`)).json.state).toBe('refunded');
    expect(await dashboard()).toMatchObject({
      sales: before.sales + 2,
      salesFen: before.salesFen + 2 * PRICE,
    });
  });

  it('counts a WeChat refund under its tender once WeChat’s 原路退款 succeeds, not while it processes', async () => {
    const saleId = await sale([wechat(PRICE)]);
    const before = await tender('wechat_native');
    sim.control.setNotifyMode('hold');
    await withRefunds('SUCCESS', async () => {
      sim.control.setRefundBehaviour({ result: 'SUCCESS', afterMs: 300 });
      const asked = await refund(saleId, PRICE);
      expect(asked.state).toBe('processing');
      expect(await tender('wechat_native')).toEqual(plus(before, {}));
      sim.control.setNotifyMode('deliver');
      await sim.control.releaseNotifications(10);
      await refundEnds(asked.refundId, 'succeeded');
      expect(await tender('wechat_native')).toEqual(plus(before, { refunds: 1, refundFen: PRICE }));
      // The notification and the till's poll both saw SUCCESS: counted once.
      await get<RefundView>(`/v1/refunds/${asked.refundId}`);
      expect((await tender('wechat_native')).refunds).toBe(before.refunds + 1);
    });
  });

  it('counts nothing for a WeChat refund that ends ABNORMAL or CLOSED', async () => {
    for (const result of ['ABNORMAL', 'CLOSED'] as const)
      await withRefunds(result, async () => {
        const saleId = await sale([wechat(PRICE)]);
        const before = await tender('wechat_native');
        const asked = await refund(saleId, 1_000);
        await refundEnds(asked.refundId, result === 'ABNORMAL' ? 'abnormal' : 'closed');
        expect(await tender('wechat_native')).toEqual(plus(before, {}));
      });
  });

  it('counts a split refund under each tender its money went back through', async () => {
    const saleId = await sale([cash(1_600), wechat(4_000)]);
    const cashBefore = await tender('cash');
    const wechatBefore = await tender('wechat_native');
    const done = await refund(saleId, PRICE);
    await refundEnds(done.refundId, 'succeeded');
    expect(await tender('cash')).toEqual(plus(cashBefore, { refunds: 1, refundFen: 1_600 }));
    expect(await tender('wechat_native')).toEqual(
      plus(wechatBefore, { refunds: 1, refundFen: 4_000 }),
    );
  });

  it('counts one refund paid back through two WeChat payments of one kind once, with both amounts', async () => {
    const saleId = await sale([wechat(3_000), wechat(2_600)]);
    const before = await tender('wechat_native');
    const done = await refund(saleId, PRICE);
    expect(done.parts.map((p) => p.kind)).toEqual(['wechat', 'wechat']);
    await refundEnds(done.refundId, 'succeeded');
    expect(await tender('wechat_native')).toEqual(plus(before, { refunds: 1, refundFen: PRICE }));
  });

  it('prints the refunds in the tenders CSV as in the JSON report', async () => {
    const r = await call<SalesReport>(
      server.url,
      'GET',
      `/v1/manager/reports/sales?from=${today}&to=${today}`,
      { token: chain },
    );
    const csv = await call(
      server.url,
      'GET',
      `/v1/manager/reports/csv/tenders?from=${today}&to=${today}&locale=en`,
      { token: chain },
    );
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Store,Date,Tender,Sales,Amount (yuan),Refunds,Refunded (yuan),Net (yuan)',
    );
    const cashRow = r.json.tenders.rows.find((x) => x[0] === 'sh-001' && x[2] === 'cash');
    expect(Number(cashRow?.[5])).toBeGreaterThan(0);
    const cols = r.json.tenders.columns;
    expect(lines).toContain(cols.map((c, i) => cellText(c, cashRow?.[i] ?? null, 'en')).join(','));
  });

  // Last: it stops the server. Every refund above was made live.
  it('rebuilds from the ledger to the refund rows the live upkeep kept, as migration 0024 recounts them', async () => {
    await server.stop();
    const storage = await reopenStorage(server);
    try {
      const stored = await expectRebuildAgrees(storage);
      const refunded = [...stored.values()].filter(
        (a) => a.table === 'tender_day' && a.row.refunds > 0,
      );
      expect(refunded.length).toBeGreaterThanOrEqual(2);
      // Migration 0024 counts the refunds of a database whose refund counters were never filled.
      await storage.write(async (w) => {
        await sql`update report_tender_day set refunds = 0, refund_fen = 0`.execute(w.trx);
        await recountRefunds(w.trx);
      });
      expect(plainAggregates(await storedAggregates(storage.db))).toEqual(plainAggregates(stored));
    } finally {
      await storage.close();
    }
  });
});
