import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ROUTES,
  type ApiError,
  type CurrentShift,
  type ManagerApproval,
  type PaymentView,
  type RedemptionResponse,
  type RefundView,
  type SaleRequest,
  type SaleResponse,
  type SaleView,
  type ShiftReport,
  type Tender,
} from '../../core/protocol';
import { createLogger } from '../../server/log';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import { parseWechatPayConfig } from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import {
  DRIVERS,
  snapshotDatabase,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  pairTerminal,
  redemption,
  saleRequest,
  type PairedTerminal,
} from '../helpers/server-client';

const cash = (amountFen: number, tenderedFen = amountFen): Tender =>
  ({ kind: 'cash', amountFen, tenderedFen }) as Tender;
/** The demo's manager of sh-001 (server/seed/demo.ts). */
const MANAGER: ManagerApproval = { username: 'sh001-manager', password: 'tillpoint-manager' };
const NOTHING_PENDING = { sales: 0, redemptions: 0 };

describe.each(DRIVERS)('shifts on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let other: PairedTerminal;
  const post = <T>(t: PairedTerminal, path: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: t.token, body });
  const get = <T>(t: PairedTerminal, path: string) =>
    call<T>(server.url, 'GET', path, { token: t.token });
  const open = (t: PairedTerminal, floatFen: number, id: string = uuidv7()) =>
    post<ShiftReport & ApiError>(t, '/v1/shifts', { id, floatFen });
  const close = (t: PairedTerminal, id: string, countedFen: number, pending = NOTHING_PENDING) =>
    post<ShiftReport & ApiError>(t, `/v1/shifts/${id}/close`, { countedFen, pending });
  const sell = async (t: PairedTerminal, sale: SaleRequest) => {
    const r = await post<SaleResponse>(t, '/v1/sales', sale);
    expect(r.status).toBe(200);
    return r.json.outcome;
  };

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    other = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  it('reports a shift whose totals are the sales ledger’s: sales, tenders, vouchers, refunds, cash', async () => {
    const opened = await open(till, 50_000);
    expect(opened.status).toBe(200);
    expect(opened.json).toMatchObject({ state: 'open', closedAt: null, pending: null });
    const shiftId = opened.json.shiftId;

    // A cash sale with a 10-yuan voucher, paid with a 100-yuan note.
    const cart = cartOf([
      ['latte', 'coffee', 2800, 2],
      ['croissant', 'bakery', 1500, 1],
    ]);
    const r = redemption(till, demoCodes(server, 'demo-cash')[0] ?? '', { cart });
    expect((await post<RedemptionResponse>(till, '/v1/redemptions', r)).json.outcome.status).toBe(
      'accepted',
    );
    const voucherSale = saleRequest(till, cart, [1000], [r.id], [cash(6100, 10_000)], {
      shiftId: shiftId as SaleRequest['shiftId'],
    });
    expect((await sell(till, voucherSale)).totals.dueFen).toBe(6100);
    // A cash sale that names no shift: it belongs to the shift open on its till.
    const plain = saleRequest(
      till,
      cartOf([['americano', 'coffee', 2200, 1]]),
      [],
      [],
      [cash(2200)],
    );
    await sell(till, plain);
    // A WeChat sale not paid yet: unpaid, not in the sales or the drawer.
    const waiting = saleRequest(
      till,
      cartOf([['latte', 'coffee', 2800, 1]]),
      [],
      [],
      [{ kind: 'wechat_native', amountFen: 2800, paymentId: randomUUID() } as Tender],
      { shiftId: shiftId as SaleRequest['shiftId'] },
    );
    expect((await sell(till, waiting)).state).toBe('open');
    // Another till's sale is not this shift's.
    await sell(
      other,
      saleRequest(other, cartOf([['americano', 'coffee', 2200, 1]]), [], [], [cash(2200)]),
    );
    // 22 yuan back in cash for the americano.
    const refunded = await post<RefundView>(till, '/v1/refunds', {
      refundId: randomUUID(),
      saleId: plain.id,
      amountFen: 2200,
      reason: '顾客退货',
      approval: MANAGER,
    });
    expect(refunded.json.state).toBe('succeeded');

    const closed = await close(till, shiftId, 50_000 + 6100 + 2200 - 2200 - 100, {
      sales: 0,
      redemptions: 1,
    });
    expect(closed.status).toBe(200);
    const report = closed.json;
    expect(report).toMatchObject({
      shiftId,
      state: 'closed',
      pending: { sales: 0, redemptions: 1 },
    });
    expect(report.figures.sales).toEqual({
      count: 2,
      subtotalFen: 7100 + 2200,
      discountFen: 1000,
      amountFen: 6100 + 2200,
    });
    expect(report.figures.tenders).toEqual([
      { kind: 'cash', count: 2, amountFen: 8300 },
      { kind: 'wechat_native', count: 0, amountFen: 0 },
      { kind: 'wechat_code', count: 0, amountFen: 0 },
    ]);
    expect(report.figures.vouchers).toEqual([
      { batchId: 'demo-cash', name: expect.any(String), count: 1, amountFen: 1000 },
    ]);
    expect(report.figures.refunds).toEqual({ count: 1, cashFen: 2200, wechatFen: 0 });
    expect(report.figures.unpaid).toEqual({ count: 1, amountFen: 2800 });
    expect(report.figures.voids).toEqual({ count: 0, amountFen: 0 });
    expect(report.figures.cash).toEqual({
      floatFen: 50_000,
      tenderedFen: 10_000 + 2200,
      changeFen: 3900,
      refundsFen: 2200,
      expectedFen: 56_100,
      countedFen: 56_000,
      differenceFen: -100,
    });

    // The same figures straight from the ledger tables.
    const ids = [voucherSale.id, plain.id, waiting.id];
    const sold = await server.db.rows<{ n: number | string; due: number | string }>(
      `select count(*) as n, sum(due_fen) as due from sales
       where terminal_id = ? and id in (?, ?, ?) and state in ('paid', 'partly_refunded', 'refunded')`,
      [till.terminalId, ...ids],
    );
    expect(Number(sold[0]?.n)).toBe(report.figures.sales.count);
    expect(Number(sold[0]?.due)).toBe(report.figures.sales.amountFen);
    const cashIn = await server.db.rows<{ amount: number | string }>(
      `select sum(t.amount_fen) as amount from sale_tenders t join sales s
         on s.terminal_id = t.terminal_id and s.id = t.sale_id
       where t.terminal_id = ? and t.kind = 'cash' and s.id in (?, ?, ?)`,
      [till.terminalId, ...ids],
    );
    expect(Number(cashIn[0]?.amount)).toBe(report.figures.tenders[0]?.amountFen);
    const stored = await server.db.rows<{ report: string; counted_fen: number | string }>(
      'select report, counted_fen from shifts where id = ?',
      [shiftId],
    );
    expect(JSON.parse(stored[0]?.report ?? 'null')).toEqual(report);
    expect(Number(stored[0]?.counted_fen)).toBe(56_000);
  });

  it('answers a repeated open and close with the stored shift, and refuses the same id with another body', async () => {
    const id = uuidv7();
    const first = await open(till, 30_000, id);
    const again = await open(till, 30_000, id);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const before = await snapshotDatabase(server);
    const otherFloat = await open(till, 40_000, id);
    expect(otherFloat.status).toBe(409);
    expect(otherFloat.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await snapshotDatabase(server)).toBe(before);

    const closed = await close(till, id, 30_000);
    const closedAgain = await close(till, id, 30_000);
    expect(closedAgain.text).toBe(closed.text);
    expect((await get<ShiftReport>(till, `/v1/shifts/${id}`)).text).toBe(closed.text);
    expect((await open(till, 30_000, id)).text).toBe(closed.text);
    const recount = await close(till, id, 29_000);
    expect(recount.status).toBe(409);
    expect(recount.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps one open shift per till and shows it as the current one', async () => {
    const first = await open(till, 10_000);
    const second = await open(till, 10_000);
    expect(second.status).toBe(409);
    expect(second.json.code).toBe('CONFLICT');
    expect(second.json.message).toContain(first.json.shiftId);
    const current = await get<CurrentShift>(till, '/v1/shifts/current');
    expect(current.json.shift?.shiftId).toBe(first.json.shiftId);
    expect((await get<CurrentShift>(other, '/v1/shifts/current')).json.shift).toBeNull();
    await close(till, first.json.shiftId, 10_000);
    expect((await get<CurrentShift>(till, '/v1/shifts/current')).json.shift).toBeNull();
  });

  it('does not let another till read or close a shift it did not open', async () => {
    const mine = await open(till, 10_000);
    expect((await get<ApiError>(other, `/v1/shifts/${mine.json.shiftId}`)).status).toBe(404);
    const closing = await close(other, mine.json.shiftId, 10_000);
    expect(closing.status).toBe(404);
    expect(closing.json.code).toBe('NOT_FOUND');
    await close(till, mine.json.shiftId, 10_000);
  });

  it('leaves a sale made after the close out of the stored report', async () => {
    const s = await open(till, 0);
    await sell(
      till,
      saleRequest(till, cartOf([['americano', 'coffee', 2200, 1]]), [], [], [cash(2200)]),
    );
    const closed = await close(till, s.json.shiftId, 2200);
    expect(closed.json.figures.sales.count).toBe(1);
    await sell(
      till,
      saleRequest(till, cartOf([['americano', 'coffee', 2200, 1]]), [], [], [cash(2200)]),
    );
    const later = await get<ShiftReport>(till, `/v1/shifts/${s.json.shiftId}`);
    expect(later.json.figures.sales.count).toBe(1);
    expect(later.json.figures.cash.differenceFen).toBe(0);
  });

  it('writes the opening and the closing to the audit log', async () => {
    const s = await open(till, 20_000);
    await close(till, s.json.shiftId, 19_950);
    const entries = await server.db.rows<{ action: string; after: string }>(
      'select action, after from audit_log where subject = ? order by seq',
      [`shift:${s.json.shiftId}`],
    );
    expect(entries.map((e) => e.action)).toEqual(['shift.opened', 'shift.closed']);
    expect(JSON.parse(entries[1]?.after ?? '{}')).toMatchObject({
      countedFen: 19_950,
      expectedFen: 20_000,
      differenceFen: -50,
    });
  });

  it('refuses a float that is not whole fen, with the field named', async () => {
    const r = await post<ApiError>(till, '/v1/shifts', { id: uuidv7(), floatFen: 10.5 });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
    expect(r.json.issues?.[0]?.path).toBe('floatFen');
  });
});

describe.each(DRIVERS)('a shift’s WeChat tenders on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;

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
          return createWechatPayV3Provider(loaded.value, {
            log: createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent'),
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

  it('counts a split sale under each tender once WeChat confirms it, and as unpaid before', async () => {
    const post = <T>(path: string, body: unknown) =>
      call<T>(server.url, 'POST', path, { token: till.token, body });
    const get = <T>(path: string) => call<T>(server.url, 'GET', path, { token: till.token });
    const shiftId = uuidv7();
    expect((await post<ShiftReport>('/v1/shifts', { id: shiftId, floatFen: 20_000 })).status).toBe(
      200,
    );
    const paymentId = randomUUID();
    const tenders = [
      { kind: 'wechat_native', amountFen: 2800, paymentId } as Tender,
      cash(1500, 2000),
    ];
    const sale = saleRequest(
      till,
      cartOf([
        ['latte', 'coffee', 2800, 1],
        ['croissant', 'bakery', 1500, 1],
      ]),
      [],
      [],
      tenders,
      { shiftId: shiftId as SaleRequest['shiftId'] },
    );
    expect((await post<SaleResponse>('/v1/sales', sale)).json.outcome.state).toBe('open');
    const before = await get<ShiftReport>(`/v1/shifts/${shiftId}`);
    expect(before.json.figures.unpaid).toEqual({ count: 1, amountFen: 4300 });
    expect(before.json.figures.sales.count).toBe(0);

    const order = await post<PaymentView>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen: 2800,
    });
    expect(sim.control.scan(order.json.codeUrl ?? '', {})).toMatchObject({ ok: true });
    await vi.waitFor(
      async () => expect((await get<SaleView>(`/v1/sales/${sale.id}`)).json.state).toBe('paid'),
      { timeout: 5_000, interval: 50 },
    );

    const closed = await post<ShiftReport>(`/v1/shifts/${shiftId}/close`, {
      countedFen: 21_500,
      pending: NOTHING_PENDING,
    });
    const f = closed.json.figures;
    expect(f.sales).toMatchObject({ count: 1, amountFen: 4300 });
    expect(f.unpaid).toEqual({ count: 0, amountFen: 0 });
    expect(f.tenders).toEqual([
      { kind: 'cash', count: 1, amountFen: 1500 },
      { kind: 'wechat_native', count: 1, amountFen: 2800 },
      { kind: 'wechat_code', count: 0, amountFen: 0 },
    ]);
    expect(f.tenders.reduce((s, t) => s + t.amountFen, 0)).toBe(f.sales.amountFen);
    expect(f.cash).toMatchObject({
      tenderedFen: 2000,
      changeFen: 500,
      expectedFen: 21_500,
      differenceFen: 0,
    });
  });
});
