import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  PaymentView,
  RedemptionResponse,
  SaleRequest,
  SaleResponse,
  SalesPushResponse,
  SaleView,
  ShiftReport,
  Tender,
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

const WAIT = { timeout: 15_000, interval: 25 };
const AUTH_CODE = '134567890123456789';
const cash = (amountFen: number, tenderedFen = amountFen): Tender =>
  ({ kind: 'cash', amountFen, tenderedFen }) as Tender;
const LATTE = cartOf([['latte', 'coffee', 2800, 1]]);

describe.each(DRIVERS)('a sale replacing an abandoned one on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;
  let other: PairedTerminal;
  let codes: string[];
  const post = <T>(path: string, body: unknown, t: PairedTerminal = till) =>
    call<T>(server.url, 'POST', path, { token: t.token, body });
  const get = <T>(path: string, t: PairedTerminal = till) =>
    call<T>(server.url, 'GET', path, { token: t.token });
  const record = async (sale: SaleRequest, t: PairedTerminal = till) => {
    const r = await post<SaleResponse>('/v1/sales', sale, t);
    expect(r.status).toBe(200);
    return r;
  };
  const saleState = async (id: string, t: PairedTerminal = till) =>
    (await get<SaleView>(`/v1/sales/${id}`, t)).json.state;
  const payment = async (id: string) => (await get<PaymentView>(`/v1/payments/${id}`)).json;
  const outTradeNo = async (paymentId: string) =>
    (
      await server.db.rows<{ out_trade_no: string }>(
        'select out_trade_no from payments where id = ?',
        [paymentId],
      )
    )[0]?.out_trade_no ?? '';
  const tenderStates = async (saleId: string) =>
    (
      await server.db.rows<{ state: string }>(
        'select state from sale_tenders where sale_id = ? order by seq',
        [saleId],
      )
    ).map((t) => t.state);
  const audits = async (saleId: string, action: string) =>
    (
      await server.db.rows<{ after: string }>(
        'select after from audit_log where subject = ? and action = ? order by seq',
        [`sale:${saleId}`, action],
      )
    ).map((a) => JSON.parse(a.after) as Record<string, unknown>);
  const redeemed = async (code: string) => {
    const r = redemption(till, code, { cart: LATTE });
    const res = await post<RedemptionResponse>('/v1/redemptions', r);
    expect(res.json.outcome.status).toBe('accepted');
    return r.id;
  };
  const saleOf = async (redemptionId: string) =>
    (
      await server.db.rows<{ sale_id: string | null }>(
        'select sale_id from redemptions where id = ?',
        [redemptionId],
      )
    )[0]?.sale_id;

  /** A latte with a ¥10 voucher, recorded open with a Native tender and its order placed. */
  async function openNative(code: string) {
    const redemptionId = await redeemed(code);
    const paymentId = randomUUID();
    const sale = saleRequest(
      till,
      LATTE,
      [1000],
      [redemptionId],
      [{ kind: 'wechat_native', amountFen: 1800, paymentId } as Tender],
    );
    expect((await record(sale)).json.outcome.state).toBe('open');
    const placed = await post<PaymentView>('/v1/payments/native', {
      paymentId,
      saleId: sale.id,
      amountFen: 1800,
    });
    expect(placed.json.state).toBe('pending');
    return { sale, paymentId, redemptionId };
  }

  /** The same order taken again in cash under a new id, naming the sale it replaces. */
  const cashAgain = (first: SaleRequest, extra: Partial<SaleRequest> = {}) =>
    saleRequest(till, first.cart, [1000], first.redemptionIds, [cash(1800, 2000)], {
      replaces: first.id,
      shiftId: first.shiftId,
      ...extra,
    });

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
        // No give-up by the clock in these tests: only the replacement takes orders back.
        codeTiming: { pollIntervalMs: 20, deadlineMs: 60_000, reverseIntervalMs: 20 },
        reconcile: { intervalMs: 100, graceMs: 60_000, leaseMs: 5_000 },
      },
    });
    till = await pairTerminal(server, 'sh-001');
    other = await pairTerminal(server, 'sh-001');
    codes = demoCodes(server, 'demo-cash');
  });
  afterAll(async () => {
    await server.close();
    await sim.close();
  });

  it('voids the open sale, closes its Native order at WeChat and takes its voucher, in one write', async () => {
    const { sale: first, paymentId, redemptionId } = await openNative(codes[0] ?? '');
    const second = cashAgain(first);
    const res = await record(second);
    expect(res.json.outcome).toMatchObject({ state: 'paid', flags: [] });
    expect(res.json.outcome.totals.discountFen).toBe(1000);
    expect(await saleState(first.id)).toBe('voided');
    expect(await tenderStates(first.id)).toEqual(['failed']);
    expect(await saleOf(redemptionId)).toBe(second.id);
    expect(await audits(first.id, 'sale.voided')).toEqual([
      { state: 'voided', replacedBy: second.id, recorded: true, payments: [paymentId] },
    ]);
    await vi.waitFor(async () => {
      expect(await payment(paymentId)).toMatchObject({ state: 'closed', reason: 'REPLACED' });
    }, WAIT);
    expect(sim.control.order(await outTradeNo(paymentId))?.['trade_state']).toBe('CLOSED');
  });

  it('answers a replayed replacement with the stored bytes and voids nothing twice', async () => {
    const { sale: first } = await openNative(codes[1] ?? '');
    const second = cashAgain(first);
    const once = await record(second);
    const batch = await post<SalesPushResponse>('/v1/sales/batch', { items: [second] });
    expect(JSON.stringify(batch.json.outcomes[0])).toBe(once.text);
    expect((await record(second)).text).toBe(once.text);
    expect(await audits(first.id, 'sale.voided')).toHaveLength(1);
    expect(await audits(second.id, 'sale.recorded')).toHaveLength(1);
  });

  it('refunds a Native order the customer paid before the replacement, never keeping the money', async () => {
    sim.control.setNotifyMode('drop');
    try {
      const { sale: first, paymentId } = await openNative(codes[2] ?? '');
      const no = await outTradeNo(paymentId);
      expect(sim.control.payNative(no)).toMatchObject({ ok: true });
      expect((await record(cashAgain(first))).json.outcome.state).toBe('paid');
      await vi.waitFor(async () => {
        expect(await payment(paymentId)).toMatchObject({
          state: 'refunded_late',
          reason: 'PAID_LATE',
        });
      }, WAIT);
      expect(sim.control.refunds().filter((r) => r['out_trade_no'] === no)).toHaveLength(1);
      expect(await saleState(first.id)).toBe('voided');
    } finally {
      sim.control.setNotifyMode('deliver');
    }
  });

  it('reverses the payment code of the replaced sale while the customer is still at it', async () => {
    sim.control.setCodePayBehaviour({ result: 'userpaying', then: 'never' });
    const paymentId = randomUUID();
    const first = saleRequest(
      till,
      LATTE,
      [],
      [],
      [{ kind: 'wechat_code', amountFen: 2800, paymentId } as Tender],
    );
    await record(first);
    const charged = await post<PaymentView>('/v1/payments/code', {
      paymentId,
      saleId: first.id,
      amountFen: 2800,
      authCode: AUTH_CODE,
    });
    expect(charged.json.state).toBe('user_paying');
    const second = saleRequest(till, LATTE, [], [], [cash(2800)], { replaces: first.id });
    expect((await record(second)).json.outcome).toMatchObject({ state: 'paid', flags: [] });
    await vi.waitFor(async () => {
      expect(await payment(paymentId)).toMatchObject({ state: 'reversed', reason: 'REPLACED' });
    }, WAIT);
    expect(sim.control.order(await outTradeNo(paymentId))?.['trade_state']).toBe('REVOKED');
    expect(await saleState(first.id)).toBe('voided');
  });

  it('records a replaced sale that reaches the server after its replacement as voided, not live', async () => {
    const redemptionId = await redeemed(codes[3] ?? '');
    const first = saleRequest(
      till,
      LATTE,
      [1000],
      [redemptionId],
      [{ kind: 'wechat_native', amountFen: 1800, paymentId: randomUUID() } as Tender],
    );
    const second = cashAgain(first);
    expect((await record(second)).json.outcome).toMatchObject({ state: 'paid', flags: [] });
    expect(await audits(first.id, 'sale.voided')).toEqual([
      { state: 'voided', replacedBy: second.id, recorded: false, payments: [] },
    ]);
    const late = await post<SalesPushResponse>('/v1/sales/batch', { items: [first] });
    expect(late.json.outcomes[0]?.outcome).toMatchObject({ state: 'voided', flags: [] });
    expect(late.json.outcomes[0]?.outcome.totals.discountFen).toBe(1000);
    expect(await tenderStates(first.id)).toEqual(['failed']);
    expect(await saleOf(redemptionId)).toBe(second.id);
    // Its WeChat tender waits for nothing: no order can be placed for it.
    const tender = first.tenders[0];
    const order = await post<{ code: string }>('/v1/payments/native', {
      paymentId: tender?.kind === 'cash' ? '' : tender?.paymentId,
      saleId: first.id,
      amountFen: 1800,
    });
    expect(order.status).toBe(409);
    expect((await post<SalesPushResponse>('/v1/sales/batch', { items: [first] })).text).toBe(
      late.text,
    );
  });

  it('voids the replaced sale when both come in one push, in queue order', async () => {
    const redemptionId = await redeemed(codes[6] ?? '');
    const first = saleRequest(
      till,
      LATTE,
      [1000],
      [redemptionId],
      [{ kind: 'wechat_native', amountFen: 1800, paymentId: randomUUID() } as Tender],
    );
    const second = cashAgain(first);
    const pushed = await post<SalesPushResponse>('/v1/sales/batch', { items: [first, second] });
    // Each answer is the sale as recorded: the first open, then voided by the second.
    expect(pushed.json.outcomes.map((o) => o.outcome.state)).toEqual(['open', 'paid']);
    expect(pushed.json.outcomes[1]?.outcome.flags).toEqual([]);
    expect(await saleState(first.id)).toBe('voided');
    expect(await tenderStates(first.id)).toEqual(['failed']);
    expect(await saleOf(redemptionId)).toBe(second.id);
  });

  it('leaves a voided sale out of the shift report and the daily reports', async () => {
    const shiftId = uuidv7() as SaleRequest['shiftId'];
    expect((await post<ShiftReport>('/v1/shifts', { id: shiftId, floatFen: 10_000 })).status).toBe(
      200,
    );
    const tenderDay = async () =>
      server.db.rows<{ tender: string; sales: number | string; amount_fen: number | string }>(
        `select tender, sales, amount_fen from report_tender_day where store_id = 'sh-001' order by tender`,
      );
    const before = await tenderDay();
    const paymentId = randomUUID();
    // The replaced sale had taken some cash too: a voided sale's cash is not in the drawer.
    const first = saleRequest(
      till,
      LATTE,
      [],
      [],
      [cash(800, 1000), { kind: 'wechat_native', amountFen: 2000, paymentId } as Tender],
      { shiftId },
    );
    await record(first);
    const second = saleRequest(till, LATTE, [], [], [cash(2800, 3000)], {
      shiftId,
      replaces: first.id,
    });
    await record(second);
    const closed = await post<ShiftReport>(`/v1/shifts/${shiftId}/close`, {
      countedFen: 12_800,
      pending: { sales: 0, redemptions: 0 },
    });
    const f = closed.json.figures;
    expect(f.sales).toMatchObject({ count: 1, amountFen: 2800 });
    expect(f.voids).toEqual({ count: 1, amountFen: 2800 });
    expect(f.unpaid).toEqual({ count: 0, amountFen: 0 });
    expect(f.cash).toMatchObject({ tenderedFen: 3000, changeFen: 200, differenceFen: 0 });
    const after = await tenderDay();
    const delta = (rows: typeof before, tender: string) =>
      rows
        .filter((r) => r.tender === tender)
        .reduce(
          (n, r) => ({ sales: n.sales + Number(r.sales), fen: n.fen + Number(r.amount_fen) }),
          {
            sales: 0,
            fen: 0,
          },
        );
    expect(delta(after, 'cash').sales - delta(before, 'cash').sales).toBe(1);
    expect(delta(after, 'cash').fen - delta(before, 'cash').fen).toBe(2800);
    expect(delta(after, 'wechat_native')).toEqual(delta(before, 'wechat_native'));
  });

  it('leaves another terminal’s sale, a paid sale, itself and an already replaced sale as they are, flagged', async () => {
    const theirs = saleRequest(
      other,
      LATTE,
      [],
      [],
      [{ kind: 'wechat_native', amountFen: 2800, paymentId: randomUUID() } as Tender],
    );
    await record(theirs, other);
    const paid = saleRequest(till, LATTE, [], [], [cash(2800)]);
    await record(paid);
    const { sale: open } = await openNative(codes[4] ?? '');
    await record(cashAgain(open));

    const cases = [
      { replaces: theirs.id, problem: 'other_terminal' },
      { replaces: paid.id, problem: 'paid' },
      { replaces: open.id, problem: 'voided' },
    ] as const;
    for (const c of cases) {
      const s = saleRequest(till, LATTE, [], [], [cash(2800)], { replaces: c.replaces });
      expect((await record(s)).json.outcome).toMatchObject({
        state: 'paid',
        flags: [{ code: 'REPLACEMENT_REFUSED', saleId: c.replaces, problem: c.problem }],
      });
    }
    const id = randomUUID() as SaleRequest['id'];
    const self = saleRequest(till, LATTE, [], [], [cash(2800)], { id, replaces: id });
    expect((await record(self)).json.outcome.flags).toEqual([
      { code: 'REPLACEMENT_REFUSED', saleId: id, problem: 'self' },
    ]);
    expect(await saleState(theirs.id, other)).toBe('open');
    expect(await tenderStates(theirs.id)).toEqual(['pending']);
    expect(await saleState(paid.id)).toBe('paid');
    expect(await audits(theirs.id, 'sale.voided')).toEqual([]);
    expect(await audits(paid.id, 'sale.voided')).toEqual([]);
    expect(await audits(open.id, 'sale.voided')).toHaveLength(1);
  });

  it('leaves a sale whose payment is held for a manager as it is, flagged', async () => {
    const { sale: first, paymentId } = await openNative(codes[5] ?? '');
    // What WeChat will confirm (1800) no longer matches the ledger's: the two disagree, held.
    await server.db.exec('update payments set amount_fen = ? where id = ?', [1700, paymentId]);
    sim.control.payNative(await outTradeNo(paymentId));
    await vi.waitFor(async () => {
      expect(await payment(paymentId)).toMatchObject({ state: 'unknown', held: true });
    }, WAIT);
    const res = await record(cashAgain(first));
    // Its voucher stays with it too: the money may have been taken on that sale.
    expect(res.json.outcome.flags).toEqual(
      expect.arrayContaining([
        { code: 'REPLACEMENT_REFUSED', saleId: first.id, problem: 'held' },
        {
          code: 'VOUCHER_NOT_ACCEPTED',
          redemptionId: first.redemptionIds[0],
          problem: 'other_sale',
        },
      ]),
    );
    expect(await saleOf(first.redemptionIds[0] ?? '')).toBe(first.id);
    expect(await saleState(first.id)).toBe('open');
    expect(await payment(paymentId)).toMatchObject({ state: 'unknown', held: true });
    expect(await audits(first.id, 'sale.voided')).toEqual([]);
  });

  it('refuses a replaces that is not a sale id with a clear 400', async () => {
    const s = { ...saleRequest(till, LATTE, [], [], [cash(2800)]), replaces: 'not-an-id' };
    const res = await post<{ code: string; message: string }>('/v1/sales', s);
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('replaces');
  });
});
