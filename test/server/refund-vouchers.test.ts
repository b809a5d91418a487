import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ROUTES,
  type ApiError,
  type BatchRow,
  type ChangesPage,
  type CodeState,
  type ManagerApproval,
  type PaymentView,
  type RedemptionResponse,
  type RefundView,
  type SaleResponse,
  type SaleView,
  type Tender,
} from '../../core/protocol';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import { parseWechatPayConfig } from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import { expectRebuildAgrees, reopenStorage } from '../helpers/report-aggregates';
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

/** The demo's manager of sh-001 (server/seed/demo.ts). */
const MANAGER: ManagerApproval = { username: 'sh001-manager', password: 'tillpoint-manager' };
/** demo-cash: ¥10 off, set here to give its codes back and to one use per customer a day. */
const RETURNED = 'demo-cash';
/** demo-threshold: 满100减20, left as the demo has it (not given back). */
const KEPT = 'demo-threshold';

describe.each(DRIVERS)('vouchers given back by a full refund on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;
  let second: PairedTerminal;
  const unused = new Map<string, string[]>();

  const post = <T>(t: PairedTerminal, path: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: t.token, body });
  const get = <T>(t: PairedTerminal, path: string) =>
    call<T>(server.url, 'GET', path, { token: t.token });
  const nextCode = (batchId: string): string => {
    const left = unused.get(batchId) ?? [...demoCodes(server, batchId)];
    const code = left.shift();
    unused.set(batchId, left);
    if (code === undefined) throw new Error(`no demo code of ${batchId} left`);
    return code;
  };
  const codeRow = async (code: string) =>
    (
      await server.db.rows<{ state: string; redemption_id: string | null }>(
        'select state, redemption_id from codes where code = ?',
        [code],
      )
    )[0];
  /** Lattes at the catalog's ¥28. */
  const redeem = (t: PairedTerminal, code: string, lattes: number, customerId: string) =>
    redemption(t, code, {
      cart: { ...cartOf([['latte', 'coffee', 2_800, lattes]]), customerId },
    });

  /** A sale of four lattes (¥112) with a voucher of `batchId`, the rest paid by `pay`. */
  async function voucherSale(
    batchId: string,
    pay: 'cash' | 'wechat',
  ): Promise<{
    saleId: string;
    code: string;
    redemptionId: string;
    dueFen: number;
    customerId: string;
  }> {
    const code = nextCode(batchId);
    const priceFen = 4 * 2_800;
    // Its own customer: the batch allows one use per customer a day.
    const customerId = `member-${randomUUID()}`;
    const r = redeem(till, code, 4, customerId);
    const redeemed = await post<RedemptionResponse>(till, '/v1/redemptions', r);
    expect(redeemed.json.outcome.status).toBe('accepted');
    const discountFen = batchId === RETURNED ? 1_000 : 2_000;
    const dueFen = priceFen - discountFen;
    const paymentId = randomUUID();
    const tender: Tender =
      pay === 'cash'
        ? ({ kind: 'cash', amountFen: dueFen, tenderedFen: dueFen } as Tender)
        : ({ kind: 'wechat_native', amountFen: dueFen, paymentId } as Tender);
    const sale = saleRequest(till, r.cart ?? cartOf([]), [discountFen], [r.id], [tender]);
    const recorded = await post<SaleResponse>(till, '/v1/sales', sale);
    expect(recorded.json.outcome.totals.dueFen).toBe(dueFen);
    if (pay === 'wechat') {
      const created = await post<PaymentView>(till, '/v1/payments/native', {
        paymentId,
        saleId: sale.id,
        amountFen: dueFen,
      });
      expect(sim.control.scan(created.json.codeUrl ?? '', {})).toMatchObject({ ok: true });
      await vi.waitFor(
        async () =>
          expect((await get<SaleView>(till, `/v1/sales/${sale.id}`)).json.state).toBe('paid'),
        { timeout: 5_000, interval: 50 },
      );
    }
    return { saleId: sale.id, code, redemptionId: r.id, dueFen, customerId };
  }

  const refund = async (saleId: string, amountFen: number) => {
    const r = await post<RefundView & ApiError>(till, '/v1/refunds', {
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
      async () =>
        expect((await get<RefundView>(till, `/v1/refunds/${refundId}`)).json.state).toBe(state),
      { timeout: 8_000, interval: 100 },
    );

  /** What the report tables hold for a batch (all its days) and for the till's store. */
  const figures = async (batchId: string) => {
    const one = async (text: string, params: unknown[]) =>
      Object.fromEntries(
        Object.entries((await server.db.rows<Record<string, unknown>>(text, params))[0] ?? {}).map(
          ([k, v]) => [k, Number(v ?? 0)],
        ),
      );
    const counters =
      'sum(redemptions) as redemptions, sum(discount_fen) as discount, sum(voucher_sales) as sales, ' +
      'sum(voucher_sales_fen) as sales_fen, sum(cycle0 + cycle1 + cycle2 + cycle3 + cycle4to7 + cycle_over7) as cycles';
    return {
      batch: await one(`select ${counters} from report_batch_day where batch_id = ?`, [batchId]),
      store: await one(`select ${counters} from report_store_day where store_id = ?`, ['sh-001']),
      hours: await one(
        'select sum(redemptions) as redemptions from report_batch_hour where batch_id = ?',
        [batchId],
      ),
      tenders: await one(
        'select sum(sales) as sales, sum(amount_fen) as amount from report_tender_day where store_id = ?',
        ['sh-001'],
      ),
    };
  };

  /** Every code change of `code` the second till pulls, after the demo's issue of it. */
  async function feedOf(code: string): Promise<CodeState[]> {
    const out: CodeState[] = [];
    let since = '';
    for (;;) {
      const page = await get<ChangesPage>(
        second,
        `/v1/changes?limit=1000&since=${encodeURIComponent(since)}`,
      );
      expect(page.status).toBe(200);
      for (const c of page.json.changes)
        if (c.type === 'code' && c.code.code === code) out.push(c.code);
      if (!page.json.hasMore) return out.slice(1);
      since = page.json.cursor;
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
    second = await pairTerminal(server, 'sh-001');
    const token = await loginManager(server, 0);
    const row = await call<BatchRow>(server.url, 'GET', `/v1/manager/batches/${RETURNED}`, {
      token,
    });
    expect(row.json.batch.returnOnRefund).toBe(false);
    const saved = await call<BatchRow>(server.url, 'POST', `/v1/manager/batches/${RETURNED}`, {
      token,
      body: {
        batch: { ...row.json.batch, returnOnRefund: true, perCustomerDailyLimit: 1 },
        version: row.json.version,
        requestId: randomUUID(),
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.json.batch.returnOnRefund).toBe(true);
  });
  afterAll(async () => {
    await server.close();
    await sim.close();
  });

  it('gives the code back when a cash sale is refunded in full, audited, and the second till pulls it as unused', async () => {
    const sale = await voucherSale(RETURNED, 'cash');
    const done = await refund(sale.saleId, sale.dueFen);
    expect(done).toMatchObject({
      state: 'succeeded',
      saleState: 'refunded',
      returnedVouchers: [sale.code],
    });
    expect(await codeRow(sale.code)).toEqual({ state: 'issued', redemption_id: null });
    const [r] = await server.db.rows<{ status: string; returned_refund_id: string }>(
      'select status, returned_refund_id from redemptions where id = ?',
      [sale.redemptionId],
    );
    expect(r).toEqual({ status: 'returned', returned_refund_id: done.refundId });
    const audit = await server.db.rows<{ after: string }>(
      'select after from audit_log where action = ? and subject = ?',
      ['redemption.returned', `code:${sale.code}`],
    );
    expect(audit.map((a) => JSON.parse(a.after) as unknown)).toEqual([
      expect.objectContaining({ redemptionId: sale.redemptionId, refundId: done.refundId }),
    ]);
    const states = await feedOf(sale.code);
    expect(states.map((s) => s.state)).toEqual(['redeemed', 'issued']);
    expect(states.at(-1)).toMatchObject({
      redeemed: null,
      returned: { redemptionId: sale.redemptionId },
    });
  });

  it('says which codes the refund gave back on every later answer: a poll and a replay', async () => {
    const sale = await voucherSale(RETURNED, 'cash');
    const body = {
      refundId: randomUUID(),
      saleId: sale.saleId,
      amountFen: sale.dueFen,
      reason: '顾客退货',
      approval: MANAGER,
    };
    expect((await post<RefundView>(till, '/v1/refunds', body)).json.returnedVouchers).toEqual([
      sale.code,
    ]);
    const polled = await get<RefundView>(till, `/v1/refunds/${body.refundId}`);
    expect(polled.json.returnedVouchers).toEqual([sale.code]);
    const replayed = await post<RefundView>(till, '/v1/refunds', body);
    expect(replayed.status).toBe(200);
    expect(replayed.json.returnedVouchers).toEqual([sale.code]);
    // Redeemed again, the code is the new redemption's: the refund still names it as given back.
    await post(second, '/v1/redemptions', redeem(second, sale.code, 2, `member-${randomUUID()}`));
    expect(
      (await get<RefundView>(till, `/v1/refunds/${body.refundId}`)).json.returnedVouchers,
    ).toEqual([sale.code]);
  });

  it('takes a returned redemption out of 核销 on batch, store and hour rows, and leaves the tenders as paid', async () => {
    const before = await figures(RETURNED);
    const sale = await voucherSale(RETURNED, 'cash');
    const used = await figures(RETURNED);
    expect(used.batch).toMatchObject({
      redemptions: (before.batch['redemptions'] ?? 0) + 1,
      discount: (before.batch['discount'] ?? 0) + 1_000,
      sales: (before.batch['sales'] ?? 0) + 1,
      sales_fen: (before.batch['sales_fen'] ?? 0) + 4 * 2_800,
    });
    expect(used.store['redemptions']).toBe((before.store['redemptions'] ?? 0) + 1);
    expect(used.hours['redemptions']).toBe((before.hours['redemptions'] ?? 0) + 1);
    await refund(sale.saleId, sale.dueFen);
    const after = await figures(RETURNED);
    expect({ batch: after.batch, store: after.store, hours: after.hours }).toEqual({
      batch: before.batch,
      store: before.store,
      hours: before.hours,
    });
    // The sale stays counted as paid, its voucher part too; refunds are not tender sales.
    expect(after.tenders).toEqual(used.tenders);
  });

  it('lets the code given back be redeemed again exactly once, the same customer on the same day', async () => {
    const sale = await voucherSale(RETURNED, 'cash');
    await refund(sale.saleId, sale.dueFen);
    // The batch allows one use per customer a day: the use given back no longer counts.
    const again = await post<RedemptionResponse>(
      second,
      '/v1/redemptions',
      redeem(second, sale.code, 2, sale.customerId),
    );
    expect(again.json.outcome.status).toBe('accepted');
    const twice = await post<RedemptionResponse>(
      till,
      '/v1/redemptions',
      redeem(till, sale.code, 2, sale.customerId),
    );
    expect(twice.json.outcome).toMatchObject({
      status: 'rejected',
      reason: { code: 'ALREADY_REDEEMED' },
    });
    expect((await codeRow(sale.code))?.state).toBe('redeemed');
  });

  it('keeps the code used when its batch does not give vouchers back (the default)', async () => {
    const sale = await voucherSale(KEPT, 'cash');
    const before = await figures(KEPT);
    const done = await refund(sale.saleId, sale.dueFen);
    expect(done.saleState).toBe('refunded');
    expect(done.returnedVouchers).toEqual([]);
    expect((await figures(KEPT)).batch).toEqual(before.batch);
    expect((await codeRow(sale.code))?.state).toBe('redeemed');
    expect(
      await server.db.rows('select seq from audit_log where action = ? and subject = ?', [
        'redemption.returned',
        `code:${sale.code}`,
      ]),
    ).toHaveLength(0);
    expect((await feedOf(sale.code)).map((s) => s.state)).toEqual(['redeemed']);
  });

  it('keeps the code used after a partial refund and gives it back when the rest is refunded', async () => {
    const sale = await voucherSale(RETURNED, 'cash');
    const half = await refund(sale.saleId, sale.dueFen / 2);
    expect(half).toMatchObject({ saleState: 'partly_refunded', returnedVouchers: [] });
    expect((await codeRow(sale.code))?.state).toBe('redeemed');
    const rest = await refund(sale.saleId, sale.dueFen / 2);
    expect(rest).toMatchObject({ saleState: 'refunded', returnedVouchers: [sale.code] });
    expect((await codeRow(sale.code))?.state).toBe('issued');
    // The refund that completed the sale gave it back, not the first half.
    expect(
      (await get<RefundView>(till, `/v1/refunds/${half.refundId}`)).json.returnedVouchers,
    ).toEqual([]);
  });

  it('gives the code back once WeChat’s 原路退款 succeeds, not before', async () => {
    try {
      const sale = await voucherSale(RETURNED, 'wechat');
      sim.control.setNotifyMode('hold');
      sim.control.setRefundBehaviour({ result: 'SUCCESS', afterMs: 300 });
      const asked = await refund(sale.saleId, sale.dueFen);
      expect(asked).toMatchObject({ state: 'processing', returnedVouchers: [] });
      expect((await codeRow(sale.code))?.state).toBe('redeemed');
      sim.control.setNotifyMode('deliver');
      await sim.control.releaseNotifications(10);
      await refundEnds(asked.refundId, 'succeeded');
      expect(
        (await get<RefundView>(till, `/v1/refunds/${asked.refundId}`)).json.returnedVouchers,
      ).toEqual([sale.code]);
      expect((await codeRow(sale.code))?.state).toBe('issued');
      expect((await feedOf(sale.code)).map((s) => s.state)).toEqual(['redeemed', 'issued']);
    } finally {
      sim.control.setNotifyMode('deliver');
      sim.control.setRefundBehaviour({ result: 'SUCCESS', afterMs: 0 });
    }
  });

  it('keeps the code used when WeChat’s refund ends ABNORMAL', async () => {
    try {
      const sale = await voucherSale(RETURNED, 'wechat');
      sim.control.setRefundBehaviour({ result: 'ABNORMAL', afterMs: 0 });
      const asked = await refund(sale.saleId, sale.dueFen);
      await refundEnds(asked.refundId, 'abnormal');
      expect((await codeRow(sale.code))?.state).toBe('redeemed');
      expect((await feedOf(sale.code)).map((s) => s.state)).toEqual(['redeemed']);
    } finally {
      sim.control.setRefundBehaviour({ result: 'SUCCESS', afterMs: 0 });
    }
  });

  // Last: it stops the server. Every sale above was refunded, some in part, some given back.
  it('rebuilds from the ledger after returns to the rows the live upkeep kept', async () => {
    await server.stop();
    const storage = await reopenStorage(server);
    try {
      await expectRebuildAgrees(storage);
    } finally {
      await storage.close();
    }
  });
});
