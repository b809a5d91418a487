import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ROUTES,
  type ApiError,
  type PaymentView,
  type RedemptionResponse,
  type SaleRequest,
  type SaleResponse,
  type Tender,
} from '../../core/protocol';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import {
  parseWechatPayConfig,
  type WechatPayConfigInput,
} from '../../server/payments/wechat/config';
import { signedMessage } from '../../server/payments/wechat/verifying';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  pairTerminal,
  redemption,
  saleRequest,
  wechatSale,
  type PairedTerminal,
} from '../helpers/server-client';

const NOTIFY = ROUTES.wechatNotify.path;

/** A sale of one latte (2800 fen) paid by the given WeChat Native tender, as an honest till sends it. */
const nativeSale = (till: PairedTerminal, paymentId: string, amountFen = 2800): SaleRequest =>
  wechatSale(till, 'wechat_native', paymentId, amountFen);

/** Every line the server logged, as text. */
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

describe.each(DRIVERS)('WeChat Native payments on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;
  let merchant: WechatPayConfigInput;
  let serials: readonly string[];
  const log = capturedLogger();
  /** Every answer the server gave in these tests, for the secrets check. */
  const answers: string[] = [];
  let nativeOrdersPlaced = 0;

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

  /** A recorded sale with a pending Native tender and its order placed. */
  async function pendingPayment(
    amountFen = 2800,
  ): Promise<{ sale: SaleRequest; view: PaymentView }> {
    const paymentId = randomUUID();
    const sale = nativeSale(till, paymentId, amountFen);
    expect((await post<SaleResponse>('/v1/sales', sale)).json.outcome.state).toBe('open');
    const created = await post<PaymentView>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen,
    });
    expect(created.status).toBe(200);
    return { sale, view: created.json };
  }

  beforeAll(async () => {
    sim = await startWechatPaySimulator({ notifyRetryDelaysMs: [50, 50, 50] });
    server = await startTestServer(driver, {
      logger: log.logger,
      payments: {
        provider: (url) => {
          merchant = sim.merchantConfig({ notifyUrl: `${url}${NOTIFY}`, keyMode: 'public-key' });
          const loaded = parseWechatPayConfig(merchant);
          if (!loaded.ok) throw new Error(loaded.message);
          serials = loaded.value.keyring.serials;
          return createWechatPayV3Provider(loaded.value, {
            log: log.logger,
            fetch: (input, init) => {
              if (String(input instanceof Request ? input.url : input).endsWith('/native'))
                nativeOrdersPlaced++;
              return fetch(input, init);
            },
          });
        },
      },
    });
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(async () => {
    await server.close();
    await sim.close();
  });

  it('marks the payment, its tender and its sale paid once WeChat notifies and the query agrees', async () => {
    const { sale, view } = await pendingPayment();
    expect(view).toMatchObject({ state: 'pending', amountFen: 2800, held: false });
    expect(view.codeUrl).toMatch(/^weixin:\/\/wxpay\//);
    expect(
      sim.control.scan(view.codeUrl ?? '', { vouchers: [{ amount: 500, stock_id: '9865000' }] }),
    ).toMatchObject({ ok: true });
    await vi.waitFor(
      async () =>
        expect((await get<PaymentView>(`/v1/payments/${view.paymentId}`)).json.state).toBe('paid'),
      { timeout: 5_000, interval: 50 },
    );
    const [saleRow] = await server.db.rows<{ state: string }>(
      'select state from sales where id = ?',
      [sale.id],
    );
    expect(saleRow?.state).toBe('paid');
    const [tender] = await server.db.rows<{ state: string }>(
      'select state from sale_tenders where sale_id = ?',
      [sale.id],
    );
    expect(tender?.state).toBe('paid');
    const [payment] = await server.db.rows<{ promotion: string; transaction_id: string | null }>(
      'select promotion, transaction_id from payments where id = ?',
      [view.paymentId],
    );
    expect(payment?.transaction_id).toBeTruthy();
    expect(JSON.parse(payment?.promotion ?? '[]')).toMatchObject([
      { stockId: '9865000', amount: 500 },
    ]);
    const audit = await server.db.rows<{ action: string }>(
      'select action from audit_log where subject in (?, ?) order by seq',
      [`payment:${view.paymentId}`, `sale:${sale.id}`],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'sale.recorded',
      'payment.creating',
      'payment.pending',
      'payment.paid',
      'sale.paid',
    ]);
  });

  it('applies a notification WeChat delivers twice once', async () => {
    sim.control.setNotifyMode('duplicate');
    try {
      const { view } = await pendingPayment();
      const no = await outTradeNo(view.paymentId);
      sim.control.payNative(no);
      await vi.waitFor(
        () => {
          const record = sim.control
            .notifications()
            .find((n) => n.url.endsWith(NOTIFY) && n.copies === 2 && n.acknowledged);
          expect(record?.attempts.filter((a) => a.status === 204)).toHaveLength(2);
        },
        { timeout: 5_000, interval: 50 },
      );
      expect((await get<PaymentView>(`/v1/payments/${view.paymentId}`)).json.state).toBe('paid');
      const applied = await server.db.rows(
        'select id from payment_notifications where out_trade_no = ?',
        [no],
      );
      expect(applied).toHaveLength(1);
      const paid = await server.db.rows(
        'select seq from audit_log where subject = ? and action = ?',
        [`payment:${view.paymentId}`, 'payment.paid'],
      );
      expect(paid).toHaveLength(1);
    } finally {
      sim.control.setNotifyMode('deliver');
    }
  });

  it('acknowledges a notification at once and confirms it by its own query, again while WeChat fails', async () => {
    const { view } = await pendingPayment();
    const no = await outTradeNo(view.paymentId);
    sim.control.addFault({
      path: `/v3/pay/transactions/out-trade-no/${no}`,
      mode: 'server_error',
      times: 1,
    });
    const before = sim.control.notifications().length;
    sim.control.payNative(no);
    const record = () => sim.control.notifications()[before];
    await vi.waitFor(() => expect(record()?.acknowledged).toBe(true), {
      timeout: 5_000,
      interval: 20,
    });
    // One delivery sufficed: the failing query is the server's to repeat, not WeChat's.
    expect(record()?.attempts.map((a) => a.status)).toEqual([204]);
    const state = async () =>
      (
        await server.db.rows<{ state: string }>('select state from payments where id = ?', [
          view.paymentId,
        ])
      )[0]?.state;
    await vi.waitFor(async () => expect(await state()).toBe('paid'), {
      timeout: 15_000,
      interval: 100,
    });
    const queries = sim.control
      .calls()
      .filter(
        (c) => c.method === 'GET' && c.path.startsWith(`/v3/pay/transactions/out-trade-no/${no}`),
      );
    expect(queries.length).toBeGreaterThanOrEqual(2);
  });

  it('holds a payment for a manager when WeChat confirms another amount than the ledger’s', async () => {
    const { sale, view } = await pendingPayment();
    // What WeChat will confirm (2800) no longer matches what the ledger asked for.
    await server.db.exec('update payments set amount_fen = ? where id = ?', [2700, view.paymentId]);
    sim.control.payNative(await outTradeNo(view.paymentId));
    await vi.waitFor(
      async () =>
        expect((await get<PaymentView>(`/v1/payments/${view.paymentId}`)).json).toMatchObject({
          state: 'unknown',
          held: true,
        }),
      { timeout: 5_000, interval: 50 },
    );
    const [row] = await server.db.rows<{ hold_reason: string }>(
      'select hold_reason from payments where id = ?',
      [view.paymentId],
    );
    expect(row?.hold_reason).toContain('2800 fen');
    const [saleRow] = await server.db.rows<{ state: string }>(
      'select state from sales where id = ?',
      [sale.id],
    );
    expect(saleRow?.state).toBe('open');
  });

  it('refuses a forged notification with 401 and changes nothing', async () => {
    const { view } = await pendingPayment();
    const no = await outTradeNo(view.paymentId);
    const body = JSON.stringify({
      id: randomUUID(),
      create_time: new Date().toISOString(),
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'encrypt-resource',
      summary: '支付成功',
      resource: {
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: 'AAAA',
        nonce: 'abcdefabcdef',
        associated_data: 'transaction',
        original_type: 'transaction',
      },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const before = await server.db.rows('select state, notified_at from payments order by id');
    const forged = await call<{ code: string }>(server.url, 'POST', NOTIFY, {
      raw: body,
      headers: {
        'wechatpay-serial': serials[0] ?? '',
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-signature': sign(
          'sha256',
          signedMessage(timestamp, nonce, Buffer.from(body)),
          attacker,
        ).toString('base64'),
        'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      },
    });
    answers.push(forged.text);
    expect(forged.status).toBe(401);
    expect(forged.json.code).toBe('FAIL');
    expect(await server.db.rows('select state, notified_at from payments order by id')).toEqual(
      before,
    );
    expect(
      await server.db.rows('select id from payment_notifications where out_trade_no = ?', [no]),
    ).toEqual([]);
    expect((await get<PaymentView>(`/v1/payments/${view.paymentId}`)).json.state).toBe('pending');
  });

  it('answers a repeated create with the stored code_url and places one order', async () => {
    const placedBefore = nativeOrdersPlaced;
    const { sale, view } = await pendingPayment();
    const again = await post<PaymentView>('/v1/payments/native', {
      paymentId: view.paymentId,
      saleId: sale.id,
      amountFen: 2800,
    });
    expect(again.status).toBe(200);
    expect(again.json.codeUrl).toBe(view.codeUrl);
    expect(nativeOrdersPlaced - placedBefore).toBe(1);
    const reused = await post<ApiError>('/v1/payments/native', {
      paymentId: view.paymentId,
      saleId: sale.id,
      amountFen: 2700,
    });
    expect(reused.status).toBe(409);
    expect(reused.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a payment whose amount is not the sale’s pending WeChat tender with 409', async () => {
    const paymentId = randomUUID();
    const sale = nativeSale(till, paymentId, 2800);
    await post<SaleResponse>('/v1/sales', sale);
    const placedBefore = nativeOrdersPlaced;
    const r = await post<ApiError>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen: 1,
    });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('CONFLICT');
    expect(r.json.message).toContain('2800 fen');
    expect(nativeOrdersPlaced).toBe(placedBefore);
    expect(await server.db.rows('select id from payments where id = ?', [paymentId])).toEqual([]);
  });

  it('closes an unpaid Native order, at WeChat too, and closing again is fine', async () => {
    const { sale, view } = await pendingPayment();
    const closed = await post<PaymentView>(`/v1/payments/${view.paymentId}/close`, {});
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ state: 'closed', codeUrl: null });
    expect(sim.control.order(await outTradeNo(view.paymentId))).toMatchObject({
      trade_state: 'CLOSED',
    });
    const again = await post<PaymentView>(`/v1/payments/${view.paymentId}/close`, {});
    expect(again.json.state).toBe('closed');
    const [tender] = await server.db.rows<{ state: string }>(
      'select state from sale_tenders where sale_id = ?',
      [sale.id],
    );
    expect(tender?.state).toBe('failed');
  });

  it('gives the voucher of a sale whose Native order closed unpaid to the sale the till takes in its place, and not while the order can still be paid', async () => {
    const cart = cartOf([['latte', 'coffee', 2800, 1]]);
    const voucher = redemption(till, demoCodes(server, 'demo-cash')[0] ?? '', { cart });
    await post<RedemptionResponse>('/v1/redemptions', voucher);
    const attempt = (paymentId: string) =>
      saleRequest(
        till,
        cart,
        [1000],
        [voucher.id],
        [{ kind: 'wechat_native', amountFen: 1800, paymentId } as Tender],
      );
    const paymentId = randomUUID();
    const first = attempt(paymentId);
    await post<SaleResponse>('/v1/sales', first);
    const placed = await post<PaymentView>('/v1/payments/native', {
      paymentId,
      saleId: first.id,
      amountFen: 1800,
    });
    expect(placed.json.state).toBe('pending');

    // While the first order can be paid, its voucher stays with it.
    const early = await post<SaleResponse>('/v1/sales', attempt(randomUUID()));
    expect(early.json.outcome.flags).toContainEqual({
      code: 'VOUCHER_NOT_ACCEPTED',
      redemptionId: voucher.id,
      problem: 'other_sale',
    });

    await post<PaymentView>(`/v1/payments/${paymentId}/close`, {});
    const again = attempt(randomUUID());
    const res = await post<SaleResponse>('/v1/sales', again);
    expect(res.json.outcome.flags).toEqual([]);
    expect(res.json.outcome.totals.discountFen).toBe(1000);
    const [linked] = await server.db.rows<{ sale_id: string }>(
      'select sale_id from redemptions where id = ?',
      [voucher.id],
    );
    expect(linked?.sale_id).toBe(again.id);
  });

  it('keeps the APIv3 key and the private key out of every answer and every log line', () => {
    const apiV3Key = String(merchant.apiV3Key);
    const pemLine = String(merchant.privateKey).split('\n')[1] ?? '';
    expect(apiV3Key.length).toBeGreaterThan(10);
    expect(pemLine.length).toBeGreaterThan(20);
    expect(answers.length).toBeGreaterThan(10);
    expect(log.lines.length).toBeGreaterThan(0);
    for (const text of [...answers, ...log.lines]) {
      expect(text).not.toContain(apiV3Key);
      expect(text).not.toContain(pemLine);
    }
  });
});

describe.each(DRIVERS)('a server without WeChat Pay on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  it('answers the payment routes 503 UNAVAILABLE saying WeChat Pay is not configured', async () => {
    const paymentId = randomUUID();
    const sale = nativeSale(till, paymentId);
    await call(server.url, 'POST', '/v1/sales', { token: till.token, body: sale });
    const r = await call<ApiError>(server.url, 'POST', '/v1/payments/native', {
      token: till.token,
      body: { paymentId, saleId: sale.id, amountFen: 2800 },
    });
    expect(r.status).toBe(503);
    expect(r.json.code).toBe('UNAVAILABLE');
    expect(r.json.message).toContain('WeChat Pay is not configured on this server');
    const notify = await call(server.url, 'POST', NOTIFY, { raw: '{}' });
    expect(notify.status).toBe(503);
    expect(await server.db.rows('select id from payments')).toEqual([]);
  });
});
