import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ROUTES,
  type ApiError,
  type ManagerApproval,
  type PaymentView,
  type RefundView,
  type SaleRequest,
  type SaleResponse,
  type SaleView,
  type Tender,
} from '../../core/protocol';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import {
  parseWechatPayConfig,
  type WechatPayConfigInput,
} from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  cartOf,
  pairTerminal,
  saleRequest,
  type PairedTerminal,
} from '../helpers/server-client';

const NOTIFY = ROUTES.wechatNotify.path;
const REFUNDS = '/v3/refund/domestic/refunds';
/** Low, so a test can cross it with a small sale. */
const LIMIT_FEN = 10_000;
/** The demo's manager of sh-001 (server/seed/demo.ts). */
const MANAGER: ManagerApproval = { username: 'sh001-manager', password: 'tillpoint-manager' };

function capturedLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

describe.each(DRIVERS)('refunds and approvals on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;
  let merchant: WechatPayConfigInput;
  const log = capturedLogger();
  const answers: string[] = [];

  const post = async <T>(path: string, body: unknown) => {
    const r = await call<T>(server.url, 'POST', path, { token: till.token, body });
    answers.push(r.text);
    return r;
  };
  const get = async <T>(path: string) => {
    const r = await call<T>(server.url, 'GET', path, { token: till.token });
    answers.push(r.text);
    return r;
  };
  const outTradeNo = async (paymentId: string) =>
    (
      await server.db.rows<{ out_trade_no: string }>(
        'select out_trade_no from payments where id = ?',
        [paymentId],
      )
    )[0]?.out_trade_no ?? '';

  /** A sale paid by a WeChat Native tender of `wechatFen` (and cash of `cashFen`), confirmed. */
  async function paidSale(
    wechatFen: number,
    cashFen = 0,
    vouchers: { amount: number; stock_id: string }[] = [],
  ): Promise<SaleRequest> {
    const paymentId = randomUUID();
    const tenders: Tender[] = [
      { kind: 'wechat_native', amountFen: wechatFen, paymentId } as Tender,
    ];
    if (cashFen > 0)
      tenders.push({ kind: 'cash', amountFen: cashFen, tenderedFen: cashFen } as Tender);
    const cart = cartOf([['latte', 'coffee', wechatFen + cashFen, 1]]);
    const sale = saleRequest(till, cart, [], [], tenders);
    expect((await post<SaleResponse>('/v1/sales', sale)).json.outcome.state).toBe('open');
    const created = await post<PaymentView>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen: wechatFen,
      ...(wechatFen > LIMIT_FEN && { approval: MANAGER }),
    });
    expect(created.status).toBe(200);
    expect(sim.control.scan(created.json.codeUrl ?? '', { vouchers })).toMatchObject({ ok: true });
    await vi.waitFor(
      async () => expect((await get<SaleView>(`/v1/sales/${sale.id}`)).json.state).toBe('paid'),
      { timeout: 5_000, interval: 50 },
    );
    return sale;
  }

  const refund = (saleId: string, amountFen: number, extra: Record<string, unknown> = {}) =>
    post<RefundView & ApiError>('/v1/refunds', {
      refundId: randomUUID(),
      saleId,
      amountFen,
      reason: '顾客退货',
      approval: MANAGER,
      ...extra,
    });

  const settled = (refundId: string) =>
    vi.waitFor(
      async () => {
        const r = await get<RefundView>(`/v1/refunds/${refundId}`);
        expect(r.json.state).toBe('succeeded');
        return r.json;
      },
      { timeout: 8_000, interval: 100 },
    );

  beforeAll(async () => {
    sim = await startWechatPaySimulator({ notifyRetryDelaysMs: [50, 50, 50] });
    server = await startTestServer(driver, {
      logger: log.logger,
      approvalLimitFen: LIMIT_FEN,
      payments: {
        provider: (url) => {
          merchant = sim.merchantConfig({ notifyUrl: `${url}${NOTIFY}`, keyMode: 'public-key' });
          const loaded = parseWechatPayConfig(merchant);
          if (!loaded.ok) throw new Error(loaded.message);
          return createWechatPayV3Provider(loaded.value, { log: log.logger });
        },
      },
    });
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(async () => {
    await server.close();
    await sim.close();
  });

  it('refuses a refund without a manager’s approval, or with a wrong one, and records the approval that is given', async () => {
    const sale = await paidSale(2800);
    const none = await refund(sale.id, 1000, { approval: undefined });
    expect(none.status).toBe(403);
    expect(none.json.code).toBe('APPROVAL_REQUIRED');
    const wrong = await refund(sale.id, 1000, {
      approval: { username: MANAGER.username, password: 'not-the-password' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.code).toBe('APPROVAL_REFUSED');
    expect(
      await server.db.rows('select id from refunds where sale_id = ?', [sale.id]),
    ).toHaveLength(0);
    expect(sim.control.refunds()).toHaveLength(0);

    const ok = await refund(sale.id, 1000);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      amountFen: 1000,
      approvedBy: 'sh001-manager',
      saleState: 'partly_refunded',
      parts: [{ kind: 'wechat', amountFen: 1000 }],
    });
    const [approval] = await server.db.rows<{ actor: string; after: string; at: string }>(
      'select actor, after, at from audit_log where action = ? and subject = ?',
      ['approval.granted', `refund:${ok.json.refundId}`],
    );
    expect(approval?.actor).toBe('sh001-manager');
    expect(JSON.parse(approval?.after ?? '{}')).toMatchObject({
      approvedBy: 'sh001-manager',
      saleId: sale.id,
      amountFen: 1000,
    });
    expect(approval?.at).toBeTruthy();
    expect(approval?.after).not.toContain(MANAGER.password);
    await settled(ok.json.refundId);
  });

  it('makes one refund at WeChat however often the same refund is sent', async () => {
    const sale = await paidSale(2800);
    const body = {
      refundId: randomUUID(),
      saleId: sale.id,
      amountFen: 1200,
      reason: '少做了一杯',
      approval: MANAGER,
    };
    // WeChat makes the refund but the answer is lost, twice; the third send gets through. Its
    // notification is lost too, so every send reaches WeChat and the query settles it.
    sim.control.setNotifyMode('drop');
    sim.control.addFault({ path: REFUNDS, mode: 'drop_after' });
    const first = await post<ApiError>('/v1/refunds', body);
    expect(first.status).toBe(503);
    sim.control.addFault({ path: REFUNDS, mode: 'drop_after' });
    const second = await post<ApiError>('/v1/refunds', { ...body, approval: undefined });
    expect(second.status).toBe(503);
    const third = await post<RefundView>('/v1/refunds', { ...body, approval: undefined });
    sim.control.setNotifyMode('deliver');
    expect(third.status).toBe(200);
    const no = await outTradeNo(String(third.json.parts[0]?.paymentId));
    const atWechat = sim.control.refunds().filter((r) => r['out_trade_no'] === no);
    expect(atWechat).toHaveLength(1);
    const parts = await server.db.rows<{ out_refund_no: string }>(
      'select out_refund_no from refund_parts where refund_id = ?',
      [body.refundId],
    );
    expect(parts.map((p) => p.out_refund_no)).toEqual([atWechat[0]?.['out_refund_no']]);
    await settled(body.refundId);
    const other = await post<ApiError>('/v1/refunds', { ...body, amountFen: 1300 });
    expect(other.status).toBe(409);
    expect(other.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refunds a sale in parts up to what was paid, cash and WeChat, and refuses one more', async () => {
    const sale = await paidSale(2000, 800);
    const a = await refund(sale.id, 1500);
    expect(a.json).toMatchObject({
      saleState: 'partly_refunded',
      parts: [{ kind: 'wechat', amountFen: 1500 }],
    });
    // 500 left on the WeChat payment, then the cash.
    const b = await refund(sale.id, 1300);
    expect(b.json).toMatchObject({
      saleState: 'refunded',
      parts: [
        { kind: 'wechat', amountFen: 500 },
        { kind: 'cash', amountFen: 800, state: 'succeeded' },
      ],
    });
    const more = await refund(sale.id, 1);
    expect(more.status).toBe(409);
    expect(more.json.code).toBe('REFUND_EXCEEDS_REFUNDABLE');
    await settled(a.json.refundId);
    await settled(b.json.refundId);
    const view = (await get<SaleView>(`/v1/sales/${sale.id}`)).json;
    expect(view).toMatchObject({ state: 'refunded', refundedFen: 2800, refundableFen: 0 });
    const no = await outTradeNo(String(view.tenders[0]?.paymentId));
    const atWechat = sim.control.refunds().filter((r) => r['out_trade_no'] === no);
    expect(atWechat.map((r) => [r['status'], (r['amount'] as { refund: number }).refund])).toEqual([
      ['SUCCESS', 1500],
      ['SUCCESS', 500],
    ]);
  });

  it('refuses a refund of more than the sale has left in one go', async () => {
    const sale = await paidSale(2800);
    const tooMuch = await refund(sale.id, 2801);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.json.code).toBe('REFUND_EXCEEDS_REFUNDABLE');
    expect(tooMuch.json.message).toContain('2800 fen left');
  });

  it('applies a REFUND notification WeChat delivers twice once', async () => {
    const sale = await paidSale(2800);
    sim.control.setNotifyMode('duplicate');
    try {
      const r = await refund(sale.id, 2800);
      expect(r.status).toBe(200);
      await vi.waitFor(
        () => {
          const record = sim.control
            .notifications()
            .find((n) => n.eventType === 'REFUND.SUCCESS' && n.copies === 2 && n.acknowledged);
          expect(record).toBeDefined();
        },
        { timeout: 5_000, interval: 50 },
      );
      const [stored] = await server.db.rows<{ state: string }>(
        'select state from refund_parts where refund_id = ?',
        [r.json.refundId],
      );
      expect(stored?.state).toBe('succeeded');
      const succeeded = await server.db.rows(
        'select seq from audit_log where subject = ? and action = ?',
        [`refund:${r.json.refundId}`, 'refund.succeeded'],
      );
      expect(succeeded).toHaveLength(1);
    } finally {
      sim.control.setNotifyMode('deliver');
    }
  });

  it('needs a manager’s approval for a payment above the limit, and records it', async () => {
    const paymentId = randomUUID();
    const amountFen = LIMIT_FEN + 1;
    const sale = saleRequest(
      till,
      cartOf([['latte', 'coffee', amountFen, 1]]),
      [],
      [],
      [{ kind: 'wechat_native', amountFen, paymentId } as Tender],
    );
    await post('/v1/sales', sale);
    const without = await post<ApiError>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen,
    });
    expect(without.status).toBe(403);
    expect(without.json.code).toBe('APPROVAL_REQUIRED');
    expect(await server.db.rows('select id from payments where id = ?', [paymentId])).toHaveLength(
      0,
    );
    const approved = await post<PaymentView>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen,
      approval: MANAGER,
    });
    expect(approved.status).toBe(200);
    expect(approved.json.state).toBe('pending');
    // A repeat of the same payment needs no approval again.
    const repeat = await post<PaymentView>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen,
    });
    expect(repeat.json.codeUrl).toBe(approved.json.codeUrl);
    const [audit] = await server.db.rows<{ actor: string; after: string }>(
      'select actor, after from audit_log where action = ? and subject = ?',
      ['approval.granted', `payment:${paymentId}`],
    );
    expect(audit?.actor).toBe('sh001-manager');
    expect(JSON.parse(audit?.after ?? '{}')).toMatchObject({
      saleId: sale.id,
      amountFen,
      limitFen: LIMIT_FEN,
    });
  });

  it('needs a manager’s approval for a payment code above the limit, records it, and not again on a repeat', async () => {
    const paymentId = randomUUID();
    const amountFen = LIMIT_FEN + 1;
    const sale = saleRequest(
      till,
      cartOf([['latte', 'coffee', amountFen, 1]]),
      [],
      [],
      [{ kind: 'wechat_code', amountFen, paymentId } as Tender],
    );
    await post('/v1/sales', sale);
    const body = { paymentId, saleId: sale.id, amountFen, authCode: '134567890123456789' };
    const codepays = () =>
      sim.control.calls().filter((c) => c.path === '/v3/pay/transactions/codepay').length;
    const before = codepays();
    const without = await post<ApiError>('/v1/payments/code', body);
    expect(without.status).toBe(403);
    expect(without.json.code).toBe('APPROVAL_REQUIRED');
    const wrong = await post<ApiError>('/v1/payments/code', {
      ...body,
      approval: { username: MANAGER.username, password: 'not-the-password' },
    });
    expect(wrong.json.code).toBe('APPROVAL_REFUSED');
    expect(await server.db.rows('select id from payments where id = ?', [paymentId])).toHaveLength(
      0,
    );
    expect(codepays()).toBe(before);
    const approved = await post<PaymentView>('/v1/payments/code', { ...body, approval: MANAGER });
    expect(approved.status).toBe(200);
    expect(approved.json.state).toBe('paid');
    // A repeat needs no approval, and the approval is not compared: the stored payment, no charge.
    const repeat = await post<PaymentView>('/v1/payments/code', body);
    expect(repeat.status).toBe(200);
    expect(repeat.json.state).toBe('paid');
    expect(codepays()).toBe(before + 1);
    const audits = await server.db.rows<{ actor: string; after: string }>(
      'select actor, after from audit_log where action = ? and subject = ?',
      ['approval.granted', `payment:${paymentId}`],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]?.actor).toBe('sh001-manager');
    expect(JSON.parse(audits[0]?.after ?? '{}')).toMatchObject({
      saleId: sale.id,
      amountFen,
      limitFen: LIMIT_FEN,
    });
    expect(audits[0]?.after).not.toContain(MANAGER.password);
  });

  it('takes a payment code at the limit without an approval', async () => {
    const paymentId = randomUUID();
    const sale = saleRequest(
      till,
      cartOf([['latte', 'coffee', LIMIT_FEN, 1]]),
      [],
      [],
      [{ kind: 'wechat_code', amountFen: LIMIT_FEN, paymentId } as Tender],
    );
    await post('/v1/sales', sale);
    const paid = await post<PaymentView>('/v1/payments/code', {
      paymentId,
      saleId: sale.id,
      amountFen: LIMIT_FEN,
      authCode: '134567890123456789',
    });
    expect(paid.status).toBe(200);
    expect(paid.json.state).toBe('paid');
  });

  it('records a refund above the limit with its approval and the limit it crossed', async () => {
    const sale = await paidSale(LIMIT_FEN + 500);
    const none = await refund(sale.id, LIMIT_FEN + 500, { approval: undefined });
    expect(none.json.code).toBe('APPROVAL_REQUIRED');
    const ok = await refund(sale.id, LIMIT_FEN + 500);
    expect(ok.status).toBe(200);
    const [audit] = await server.db.rows<{ after: string }>(
      'select after from audit_log where action = ? and subject = ?',
      ['approval.granted', `refund:${ok.json.refundId}`],
    );
    expect(JSON.parse(audit?.after ?? '{}')).toMatchObject({ limitFen: LIMIT_FEN });
  });

  it('shows the WeChat vouchers of a payment on the sale (promotion_detail)', async () => {
    const sale = await paidSale(2800, 0, [{ amount: 300, stock_id: '9865001' }]);
    const view = (await get<SaleView>(`/v1/sales/${sale.id}`)).json;
    expect(view.tenders[0]?.promotions).toMatchObject([{ stockId: '9865001', amountFen: 300 }]);
    const p = view.tenders[0]?.promotions[0];
    expect(
      (p?.wechatpayContributeFen ?? 0) +
        (p?.merchantContributeFen ?? 0) +
        (p?.otherContributeFen ?? 0),
    ).toBe(300);
  });

  it('keeps merchant secrets out of every answer and log line', () => {
    const loaded = parseWechatPayConfig(merchant);
    if (!loaded.ok) throw new Error(loaded.message);
    const secrets = [
      String(merchant.apiV3Key),
      String(merchant.mchid),
      String(merchant.privateKey ?? '').split('\n')[1] ?? 'no key line',
      MANAGER.password,
    ];
    // The demo seed's own line lists the demo's logins on purpose (server/app.ts); nothing else may.
    const logged = log.lines.filter((l) => !l.includes('demo chain seeded'));
    const everything = [...answers, ...logged].join('\n');
    for (const s of secrets) expect(everything).not.toContain(s);
  });
});
