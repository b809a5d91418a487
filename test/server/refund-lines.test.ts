import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ROUTES,
  type ApiError,
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
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  pairTerminal,
  redemption,
  saleRequest,
  type PairedTerminal,
} from '../helpers/server-client';

/** The demo's manager of sh-001 (server/seed/demo.ts). */
const MANAGER: ManagerApproval = { username: 'sh001-manager', password: 'tillpoint-manager' };

/**
 * Two lattes (2800) and a croissant (1500) at catalog prices with a 1000-fen voucher: 6100 due.
 * The voucher is shared by line amount — 5600 and 1500 of 7100 — so 789 and 211 (largest
 * remainder), and the lines cost 4811 and 1289; one latte is 2405, the second 2406.
 */
describe.each(DRIVERS)('refunds by line on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;
  let codes = 0;

  const post = <T>(path: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: till.token, body });
  const get = <T>(path: string) => call<T>(server.url, 'GET', path, { token: till.token });

  /** The sale above, paid `cashFen` in cash and the rest by WeChat Native, confirmed. */
  async function paidSale(cashFen = 0): Promise<string> {
    const cart = cartOf([
      ['latte', 'coffee', 2800, 2],
      ['croissant', 'bakery', 1500, 1],
    ]);
    const r = redemption(till, demoCodes(server, 'demo-cash')[codes++] ?? '', { cart });
    expect((await post<RedemptionResponse>('/v1/redemptions', r)).json.outcome.status).toBe(
      'accepted',
    );
    const paymentId = randomUUID();
    const wechatFen = 6100 - cashFen;
    const tenders = [{ kind: 'wechat_native', amountFen: wechatFen, paymentId } as Tender];
    if (cashFen > 0)
      tenders.push({ kind: 'cash', amountFen: cashFen, tenderedFen: cashFen } as Tender);
    const sale = saleRequest(till, cart, [1000], [r.id], tenders);
    expect((await post<SaleResponse>('/v1/sales', sale)).json.outcome).toMatchObject({
      state: 'open',
      flags: [],
    });
    const created = await post<PaymentView>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen: wechatFen,
    });
    expect(sim.control.scan(created.json.codeUrl ?? '')).toMatchObject({ ok: true });
    await vi.waitFor(
      async () => expect((await get<SaleView>(`/v1/sales/${sale.id}`)).json.state).toBe('paid'),
      { timeout: 5_000, interval: 50 },
    );
    return sale.id;
  }

  const refund = (saleId: string, lines: { lineId: string; quantity: number }[], extra = {}) =>
    post<RefundView & ApiError>('/v1/refunds', {
      refundId: randomUUID(),
      saleId,
      reason: '顾客退货',
      lines,
      approval: MANAGER,
      ...extra,
    });

  const wechatRefunds = async (saleId: string) => {
    const view = (await get<SaleView>(`/v1/sales/${saleId}`)).json;
    const [row] = await server.db.rows<{ out_trade_no: string }>(
      'select out_trade_no from payments where id = ?',
      [view.tenders[0]?.paymentId],
    );
    return sim.control
      .refunds()
      .filter((r) => r['out_trade_no'] === row?.out_trade_no)
      .map((r) => (r['amount'] as { refund: number }).refund);
  };

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
  });
  afterAll(async () => {
    await server.close();
    await sim.close();
  });

  it('shows the sale’s lines at what they cost after the voucher', async () => {
    const saleId = await paidSale();
    const view = (await get<SaleView>(`/v1/sales/${saleId}`)).json;
    expect(view.lines).toEqual([
      expect.objectContaining({ lineId: 'l1', quantity: 2, netFen: 4811, refundedQuantity: 0 }),
      expect.objectContaining({ lineId: 'l2', quantity: 1, netFen: 1289, refundedQuantity: 0 }),
    ]);
    expect(view.at).toBeTruthy();
  });

  it('counts a line refund itself, refunds it to the WeChat payment, and refuses units beyond what is left', async () => {
    const saleId = await paidSale();
    const one = await refund(saleId, [{ lineId: 'l1', quantity: 1 }]);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      amountFen: 2405,
      saleState: 'partly_refunded',
      parts: [{ kind: 'wechat', amountFen: 2405 }],
    });
    const tooMany = await refund(saleId, [{ lineId: 'l1', quantity: 2 }]);
    expect(tooMany.status).toBe(409);
    expect(tooMany.json).toMatchObject({ code: 'REFUND_EXCEEDS_REFUNDABLE' });
    expect(tooMany.json.message).toContain('has 1 left to refund, not 2');
    const noLine = await refund(saleId, [{ lineId: 'l9', quantity: 1 }]);
    expect(noLine.status).toBe(400);
    expect(noLine.json.code).toBe('VALIDATION_FAILED');
    const wrongSum = await refund(saleId, [{ lineId: 'l2', quantity: 1 }], { amountFen: 1500 });
    expect(wrongSum.status).toBe(400);
    expect(wrongSum.json.message).toContain('1289 fen');

    const rest = await refund(saleId, [
      { lineId: 'l1', quantity: 1 },
      { lineId: 'l2', quantity: 1 },
    ]);
    expect(rest.json).toMatchObject({ amountFen: 2406 + 1289, saleState: 'refunded' });
    const view = (await get<SaleView>(`/v1/sales/${saleId}`)).json;
    expect(view).toMatchObject({ refundedFen: 6100, refundableFen: 0 });
    expect(view.lines.map((l) => l.refundedQuantity)).toEqual([2, 1]);
    await vi.waitFor(async () => expect(await wechatRefunds(saleId)).toEqual([2405, 3695]), {
      timeout: 5_000,
      interval: 50,
    });
  });

  it('gives back the WeChat tender first and the rest as cash from the drawer', async () => {
    const saleId = await paidSale(1000);
    const all = await refund(saleId, [
      { lineId: 'l1', quantity: 2 },
      { lineId: 'l2', quantity: 1 },
    ]);
    expect(all.json).toMatchObject({
      amountFen: 6100,
      parts: [
        { kind: 'wechat', amountFen: 5100 },
        { kind: 'cash', amountFen: 1000, state: 'succeeded', paymentId: null },
      ],
    });
    expect(await wechatRefunds(saleId)).toEqual([5100]);
  });

  it('keeps refunds of a sum working beside refunds by line', async () => {
    const saleId = await paidSale();
    const sum = await post<RefundView>('/v1/refunds', {
      refundId: randomUUID(),
      saleId,
      amountFen: 5000,
      reason: '价格调整',
      approval: MANAGER,
    });
    expect(sum.json).toMatchObject({ amountFen: 5000, saleState: 'partly_refunded' });
    // The lines are all still there to name, but only 1100 fen is left to pay back.
    const line = await refund(saleId, [{ lineId: 'l2', quantity: 1 }]);
    expect(line.status).toBe(409);
    expect(line.json.message).toContain('1100 fen left');
  });
});
