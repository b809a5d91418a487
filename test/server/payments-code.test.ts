import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiError, PaymentView, SaleResponse } from '../../core/protocol';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import { parseWechatPayConfig } from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import { call, pairTerminal, wechatSale, type PairedTerminal } from '../helpers/server-client';

const AUTH_CODE = '134567890123456789';
const ORDER = '/v3/pay/transactions/out-trade-no/';
const WAIT = { timeout: 10_000, interval: 25 };

describe.each(DRIVERS)('WeChat payment codes (付款码) on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;

  const post = <T>(path: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: till.token, body });
  const view = async (paymentId: string) =>
    (await call<PaymentView>(server.url, 'GET', `/v1/payments/${paymentId}`, { token: till.token }))
      .json;
  const row = async (paymentId: string) =>
    (
      await server.db.rows<{ out_trade_no: string; out_refund_no: string | null }>(
        'select out_trade_no, out_refund_no from payments where id = ?',
        [paymentId],
      )
    )[0] ?? { out_trade_no: '', out_refund_no: null };
  const audit = async (paymentId: string, saleId: string) =>
    (
      await server.db.rows<{ action: string }>(
        'select action from audit_log where subject in (?, ?) order by seq',
        [`payment:${paymentId}`, `sale:${saleId}`],
      )
    ).map((a) => a.action);
  const tenderState = async (saleId: string) =>
    (
      await server.db.rows<{ state: string }>('select state from sale_tenders where sale_id = ?', [
        saleId,
      ])
    )[0]?.state;
  const calls = (path: string) => sim.control.calls().filter((c) => c.path === path).length;

  /** A recorded sale with a pending payment-code tender, and the code charged. */
  async function charge(amountFen = 2800) {
    const paymentId = randomUUID();
    const sale = wechatSale(till, 'wechat_code', paymentId, amountFen);
    expect((await post<SaleResponse>('/v1/sales', sale)).json.outcome.state).toBe('open');
    const body = { paymentId, saleId: sale.id, amountFen, authCode: AUTH_CODE };
    const r = await post<PaymentView>('/v1/payments/code', body);
    expect(r.status).toBe(200);
    return { sale, body, answer: r.json, paymentId };
  }

  beforeAll(async () => {
    sim = await startWechatPaySimulator({ notifyRetryDelaysMs: [50] });
    server = await startTestServer(driver, {
      payments: {
        provider: (url) => {
          const loaded = parseWechatPayConfig(
            sim.merchantConfig({ notifyUrl: `${url}/v1/payments/wechat/notify` }),
          );
          if (!loaded.ok) throw new Error(loaded.message);
          return createWechatPayV3Provider(loaded.value);
        },
        codeTiming: { pollIntervalMs: 20, deadlineMs: 400, reverseIntervalMs: 20 },
        reconcile: { intervalMs: 100, graceMs: 200, leaseMs: 5_000 },
      },
    });
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(async () => {
    await server.close();
    await sim.close();
  });

  it('pays at once when WeChat answers SUCCESS, confirmed by an order query, and chains the audit', async () => {
    sim.control.setCodePayBehaviour({ result: 'success' });
    const { sale, answer, paymentId } = await charge();
    expect(answer).toMatchObject({ state: 'paid', method: 'code', held: false, reason: null });
    expect(await tenderState(sale.id)).toBe('paid');
    expect(await audit(paymentId, sale.id)).toEqual([
      'sale.recorded',
      'payment.creating',
      'payment.paid',
      'sale.paid',
    ]);
  });

  it('answers user_paying at once, polls in the background, and marks it paid when the customer confirms', async () => {
    sim.control.setCodePayBehaviour({
      result: 'userpaying',
      confirmAfterPolls: 3,
      then: 'success',
    });
    const { sale, answer, paymentId } = await charge();
    expect(answer).toMatchObject({ state: 'user_paying', reason: 'USERPAYING' });
    await vi.waitFor(async () => expect((await view(paymentId)).state).toBe('paid'), WAIT);
    expect(await tenderState(sale.id)).toBe('paid');
    expect(await audit(paymentId, sale.id)).toEqual([
      'sale.recorded',
      'payment.creating',
      'payment.user_paying',
      'payment.paid',
      'sale.paid',
    ]);
  });

  it('reverses a payment code the customer never confirms, after the deadline, and fails its tender', async () => {
    sim.control.setCodePayBehaviour({ result: 'userpaying', then: 'never' });
    const { sale, paymentId } = await charge();
    await vi.waitFor(async () => expect((await view(paymentId)).state).toBe('reversed'), WAIT);
    expect((await view(paymentId)).reason).toBe('TIMEOUT');
    expect(sim.control.order((await row(paymentId)).out_trade_no)).toMatchObject({
      trade_state: 'REVOKED',
    });
    expect(await tenderState(sale.id)).toBe('failed');
    expect(await audit(paymentId, sale.id)).toEqual([
      'sale.recorded',
      'payment.creating',
      'payment.user_paying',
      'payment.reversing',
      'payment.reversed',
    ]);
  });

  it('refunds a payment that lands after we gave up, once, with one out_refund_no', async () => {
    sim.control.setCodePayBehaviour({ result: 'userpaying', then: 'never' });
    const { sale, paymentId } = await charge();
    const no = (await row(paymentId)).out_trade_no;
    // The reverse keeps failing, so the customer can still finish paying after the deadline.
    sim.control.addFault({ path: `${ORDER}${no}/reverse`, mode: 'server_error', times: 1_000 });
    await vi.waitFor(async () => expect((await view(paymentId)).state).toBe('reversing'), WAIT);
    expect(await tenderState(sale.id)).toBe('failed');
    // The first refund is made but its answer is lost: it is sent again with the same number.
    sim.control.addFault({ path: '/v3/refund/domestic/refunds', mode: 'drop_after' });
    expect(sim.control.confirmCodePay(no, 'success')).toMatchObject({ ok: true });
    await vi.waitFor(
      async () =>
        expect(await view(paymentId)).toMatchObject({
          state: 'refunded_late',
          reason: 'PAID_LATE',
        }),
      WAIT,
    );
    const refunds = sim.control.refunds().filter((r) => r['out_trade_no'] === no);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      out_refund_no: (await row(paymentId)).out_refund_no,
      status: 'SUCCESS',
    });
    expect(calls('/v3/refund/domestic/refunds')).toBeGreaterThanOrEqual(2);
    const [saleRow] = await server.db.rows<{ state: string }>(
      'select state from sales where id = ?',
      [sale.id],
    );
    expect(saleRow?.state).toBe('open');
    const actions = await audit(paymentId, sale.id);
    expect(actions.slice(-3)).toEqual([
      'payment.reversing',
      'payment.refunding',
      'payment.refunded_late',
    ]);
    expect(actions.filter((a) => a === 'payment.refunded_late')).toHaveLength(1);
  });

  it('keeps a payment whose codepay answer was cut unknown, never failed, and settles it by query', async () => {
    sim.control.setCodePayBehaviour({ result: 'success' });
    sim.control.addFault({ path: '/v3/pay/transactions/codepay', mode: 'drop_after' });
    const { answer, paymentId } = await charge();
    expect(answer).toMatchObject({ state: 'unknown', reason: 'NO_ANSWER', held: false });
    await vi.waitFor(async () => expect((await view(paymentId)).state).toBe('paid'), WAIT);
  });

  it('keeps a payment whose codepay got a 5xx unknown, then reverses it when WeChat never had it', async () => {
    sim.control.setCodePayBehaviour({ result: 'success' });
    sim.control.addFault({ path: '/v3/pay/transactions/codepay', mode: 'server_error' });
    const { answer, paymentId } = await charge();
    expect(answer).toMatchObject({ state: 'unknown', reason: 'NO_ANSWER' });
    await vi.waitFor(async () => expect((await view(paymentId)).state).toBe('reversed'), WAIT);
  });

  it('declines with the reason when WeChat refuses the code (NOTENOUGH)', async () => {
    sim.control.setCodePayBehaviour({ result: 'notenough' });
    const { sale, answer } = await charge();
    expect(answer).toMatchObject({ state: 'declined', reason: 'NOTENOUGH' });
    expect(await tenderState(sale.id)).toBe('failed');
  });

  it('answers a repeated request with the stored payment and charges once; refuses the id with another body', async () => {
    sim.control.setCodePayBehaviour({ result: 'success' });
    const before = calls('/v3/pay/transactions/codepay');
    const { body, answer } = await charge();
    const again = await post<PaymentView>('/v1/payments/code', body);
    expect(again.json).toEqual(answer);
    expect(calls('/v3/pay/transactions/codepay') - before).toBe(1);
    const reused = await post<ApiError>('/v1/payments/code', {
      ...body,
      authCode: '134567890123456780',
    });
    expect(reused.status).toBe(409);
    expect(reused.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses what is not a WeChat payment code, and an amount that is not the tender’s, before calling WeChat', async () => {
    const paymentId = randomUUID();
    const sale = wechatSale(till, 'wechat_code', paymentId);
    await post('/v1/sales', sale);
    const before = calls('/v3/pay/transactions/codepay');
    const alipay = await post<ApiError>('/v1/payments/code', {
      paymentId,
      saleId: sale.id,
      amountFen: 2800,
      authCode: '284567890123456789',
    });
    expect(alipay.status).toBe(400);
    expect(alipay.json.message).toContain('18 digits starting with 10 to 15');
    const wrong = await post<ApiError>('/v1/payments/code', {
      paymentId,
      saleId: sale.id,
      amountFen: 100,
      authCode: AUTH_CODE,
    });
    expect(wrong.status).toBe(409);
    expect(wrong.json.message).toContain('2800 fen');
    expect(calls('/v3/pay/transactions/codepay')).toBe(before);
  });
});
