import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  ChangesPage,
  CodeState,
  RedemptionResponse,
  SaleRequest,
  SaleResponse,
  SaleView,
  ShiftReport,
  Tender,
} from '../../core/protocol';
import { expectRebuildAgrees, reopenStorage } from '../helpers/report-aggregates';
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

/** demo-cash: ¥10 off, no threshold. Its batch does not give codes back on a refund: a void does. */
const BATCH = 'demo-cash';
const LATTE = cartOf([['latte', 'coffee', 2_800, 1]]);
const cash = (amountFen: number): Tender =>
  ({ kind: 'cash', amountFen, tenderedFen: amountFen }) as Tender;
const native = (amountFen: number): Tender =>
  ({ kind: 'wechat_native', amountFen, paymentId: randomUUID() }) as Tender;

describe.each(DRIVERS)('a sale voided at the tender stage on %s', (driver) => {
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
    return r.json.outcome;
  };
  const nextCode = () => {
    const code = codes.shift();
    if (code === undefined) throw new Error(`no demo code of ${BATCH} left`);
    return code;
  };
  const redeemed = async (code: string, t: PairedTerminal = till) => {
    const r = redemption(t, code, { cart: LATTE });
    const res = await post<RedemptionResponse>('/v1/redemptions', r, t);
    expect(res.json.outcome.status).toBe('accepted');
    return r.id;
  };
  const codeRow = async (code: string) =>
    (
      await server.db.rows<{ state: string; redemption_id: string | null }>(
        'select state, redemption_id from codes where code = ?',
        [code],
      )
    )[0];
  const redemptionRow = async (id: string) =>
    (
      await server.db.rows<{ status: string; sale_id: string | null; returned_refund_id: null }>(
        'select status, sale_id, returned_refund_id from redemptions where id = ?',
        [id],
      )
    )[0];
  const audits = async (subject: string, action: string) =>
    (
      await server.db.rows<{ after: string }>(
        'select after from audit_log where subject = ? and action = ? order by seq',
        [subject, action],
      )
    ).map((a) => JSON.parse(a.after) as Record<string, unknown>);
  /** The order voided before any money: its cart and vouchers, no tender. */
  const voidOf = (
    redemptionIds: string[],
    extra: Partial<SaleRequest> = {},
    discounts = redemptionIds.map(() => 1_000),
  ) => saleRequest(till, LATTE, discounts, redemptionIds, [], { voided: true, ...extra });
  const figures = async () => {
    const [row] = await server.db.rows<Record<string, unknown>>(
      'select sum(redemptions) as redemptions, sum(discount_fen) as discount, sum(voucher_sales) as sales from report_batch_day where batch_id = ?',
      [BATCH],
    );
    const [hour] = await server.db.rows<Record<string, unknown>>(
      'select sum(redemptions) as redemptions from report_batch_hour where batch_id = ?',
      [BATCH],
    );
    const [tenders] = await server.db.rows<Record<string, unknown>>(
      'select sum(sales) as sales from report_tender_day where store_id = ?',
      ['sh-001'],
    );
    return Object.fromEntries(
      Object.entries({
        ...row,
        hourRedemptions: hour?.['redemptions'],
        tenderSales: tenders?.['sales'],
      }).map(([k, v]) => [k, Number(v ?? 0)]),
    );
  };
  async function feedOf(code: string): Promise<CodeState[]> {
    const out: CodeState[] = [];
    let since = '';
    for (;;) {
      const page = await get<ChangesPage>(
        `/v1/changes?limit=1000&since=${encodeURIComponent(since)}`,
        other,
      );
      for (const c of page.json.changes)
        if (c.type === 'code' && c.code.code === code) out.push(c.code);
      if (!page.json.hasMore) return out.slice(1);
      since = page.json.cursor;
    }
  }

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    other = await pairTerminal(server, 'sh-001');
    codes = [...demoCodes(server, BATCH)];
  });
  afterAll(async () => {
    await server.close();
  });

  it('records the void voided and gives its voucher back, audited and on the feed, usable again at the same till', async () => {
    const code = nextCode();
    const redemptionId = await redeemed(code);
    const sale = voidOf([redemptionId]);
    const outcome = await record(sale);
    expect(outcome).toMatchObject({ state: 'voided', flags: [] });
    expect((await get<SaleView>(`/v1/sales/${sale.id}`)).json.state).toBe('voided');
    expect(await codeRow(code)).toEqual({ state: 'issued', redemption_id: null });
    expect(await redemptionRow(redemptionId)).toEqual({
      status: 'returned',
      sale_id: sale.id,
      returned_refund_id: null,
    });
    expect(await audits(`code:${code}`, 'redemption.returned')).toEqual([
      expect.objectContaining({ redemptionId, saleId: sale.id, voided: true }),
    ]);
    expect(await audits(`sale:${sale.id}`, 'sale.voided')).toEqual([
      expect.objectContaining({ state: 'voided', voided: true }),
    ]);
    const states = await feedOf(code);
    expect(states.map((s) => s.state)).toEqual(['redeemed', 'issued']);
    expect(states.at(-1)).toMatchObject({ redeemed: null, returned: { redemptionId } });
    const again = await post<RedemptionResponse>(
      '/v1/redemptions',
      redemption(till, code, { cart: LATTE }),
    );
    expect(again.json.outcome.status).toBe('accepted');
  });

  it('answers a replay of the void with the stored outcome and gives nothing back twice', async () => {
    const code = nextCode();
    const sale = voidOf([await redeemed(code)]);
    const first = await post<SaleResponse>('/v1/sales', sale);
    const replay = await post<SaleResponse>('/v1/sales', { ...sale, offline: true });
    expect(replay.text).toBe(first.text);
    expect(await audits(`code:${code}`, 'redemption.returned')).toHaveLength(1);
    expect(await audits(`sale:${sale.id}`, 'sale.voided')).toHaveLength(1);
  });

  it('takes the voided redemption out of 核销 and counts no sale or tender', async () => {
    const before = await figures();
    const redemptionId = await redeemed(nextCode());
    const used = await figures();
    expect(used['redemptions']).toBe((before['redemptions'] ?? 0) + 1);
    expect(used['hourRedemptions']).toBe((before['hourRedemptions'] ?? 0) + 1);
    await record(voidOf([redemptionId]));
    expect(await figures()).toEqual(before);
  });

  it('counts the void under voids in the shift report, nowhere as a sale', async () => {
    const shiftId = uuidv7();
    expect(
      (await post<ShiftReport>('/v1/shifts', { id: shiftId, floatFen: 0 }, other)).status,
    ).toBe(200);
    const code = nextCode();
    const r = redemption(other, code, { cart: LATTE });
    expect((await post<RedemptionResponse>('/v1/redemptions', r, other)).json.outcome.status).toBe(
      'accepted',
    );
    const sale = saleRequest(other, LATTE, [1_000], [r.id], [], {
      voided: true,
      shiftId: shiftId as SaleRequest['shiftId'],
    });
    expect((await record(sale, other)).state).toBe('voided');
    const report = (await get<ShiftReport>(`/v1/shifts/${shiftId}`, other)).json;
    expect(report.figures.voids).toEqual({ count: 1, amountFen: 1_800 });
    expect(report.figures.sales.count).toBe(0);
    expect(report.figures.vouchers).toEqual([]);
    expect(report.figures.cash.tenderedFen).toBe(0);
  });

  it('counts one void for an order whose WeChat attempt was given up and then voided', async () => {
    // A till of its own: one open shift per till.
    const third = await pairTerminal(server, 'sh-001');
    const shiftId = uuidv7();
    expect(
      (await post<ShiftReport>('/v1/shifts', { id: shiftId, floatFen: 0 }, third)).status,
    ).toBe(200);
    const code = nextCode();
    const r = redemption(third, code, { cart: LATTE });
    await post<RedemptionResponse>('/v1/redemptions', r, third);
    const shift = { shiftId: shiftId as SaleRequest['shiftId'] };
    const attempt = saleRequest(third, LATTE, [1_000], [r.id], [native(1_800)], shift);
    expect((await record(attempt, third)).state).toBe('open');
    const sale = saleRequest(third, LATTE, [1_000], [r.id], [], {
      ...shift,
      voided: true,
      replaces: attempt.id,
    });
    expect((await record(sale, third)).state).toBe('voided');
    expect((await get<SaleView>(`/v1/sales/${attempt.id}`, third)).json.state).toBe('voided');
    const report = (await get<ShiftReport>(`/v1/shifts/${shiftId}`, third)).json;
    expect(report.figures.voids).toEqual({ count: 1, amountFen: 1_800 });
    expect(report.figures.unpaid).toEqual({ count: 0, amountFen: 0 });
    expect(report.figures.tenders.every((t) => t.count === 0)).toBe(true);
  });

  it('refuses a void that names a tender, and writes nothing', async () => {
    const code = nextCode();
    const redemptionId = await redeemed(code);
    const sale = saleRequest(till, LATTE, [1_000], [redemptionId], [cash(1_800)], { voided: true });
    const r = await post<ApiError>('/v1/sales', sale);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('BAD_REQUEST');
    expect(r.json.message).toContain('takes no money');
    expect(await server.db.rows('select id from sales where id = ?', [sale.id])).toEqual([]);
    expect(await codeRow(code)).toEqual({ state: 'redeemed', redemption_id: redemptionId });
  });

  it('refuses a void reusing a paid sale’s id: the sale stays paid, its voucher used', async () => {
    const code = nextCode();
    const redemptionId = await redeemed(code);
    const paid = saleRequest(till, LATTE, [1_000], [redemptionId], [cash(1_800)]);
    expect((await record(paid)).state).toBe('paid');
    const r = await post<ApiError>('/v1/sales', { ...paid, tenders: [], voided: true });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await get<SaleView>(`/v1/sales/${paid.id}`)).json.state).toBe('paid');
    expect(await codeRow(code)).toEqual({ state: 'redeemed', redemption_id: redemptionId });
  });

  it('flags and keeps a voucher of a paid sale, of another till, or refused; gives back only its own', async () => {
    const paidCode = nextCode();
    const paidRedemption = await redeemed(paidCode);
    expect(
      (await record(saleRequest(till, LATTE, [1_000], [paidRedemption], [cash(1_800)]))).state,
    ).toBe('paid');
    const theirCode = nextCode();
    const theirs = await redeemed(theirCode, other);
    const ownCode = nextCode();
    const own = await redeemed(ownCode);
    const refused = redemption(till, ownCode, { cart: LATTE });
    await post('/v1/redemptions', refused);
    const outcome = await record(voidOf([paidRedemption, theirs, refused.id, own], {}, [1_000]));
    expect(outcome.state).toBe('voided');
    expect(outcome.flags).toEqual([
      { code: 'VOUCHER_NOT_ACCEPTED', redemptionId: paidRedemption, problem: 'other_sale' },
      { code: 'VOUCHER_NOT_ACCEPTED', redemptionId: theirs, problem: 'missing' },
      { code: 'VOUCHER_NOT_ACCEPTED', redemptionId: refused.id, problem: 'refused' },
    ]);
    expect(await codeRow(paidCode)).toEqual({ state: 'redeemed', redemption_id: paidRedemption });
    expect(await codeRow(theirCode)).toEqual({ state: 'redeemed', redemption_id: theirs });
    expect(await codeRow(ownCode)).toEqual({ state: 'issued', redemption_id: null });
  });

  it('flags a void that names a paid sale or another till’s sale as replaced, and leaves them as they are', async () => {
    const code = nextCode();
    const redemptionId = await redeemed(code);
    const paid = saleRequest(till, LATTE, [1_000], [redemptionId], [cash(1_800)]);
    await record(paid);
    const theirs = saleRequest(other, LATTE, [], [], [native(2_800)]);
    expect((await record(theirs, other)).state).toBe('open');
    const paidVoid = await record(voidOf([redemptionId], { replaces: paid.id }, []));
    expect(paidVoid.flags).toContainEqual({
      code: 'REPLACEMENT_REFUSED',
      saleId: paid.id,
      problem: 'paid',
    });
    const theirVoid = await record(voidOf([], { replaces: theirs.id }));
    expect(theirVoid.flags).toEqual([
      { code: 'REPLACEMENT_REFUSED', saleId: theirs.id, problem: 'other_terminal' },
    ]);
    expect((await get<SaleView>(`/v1/sales/${paid.id}`)).json.state).toBe('paid');
    expect((await get<SaleView>(`/v1/sales/${theirs.id}`, other)).json.state).toBe('open');
    expect(await codeRow(code)).toEqual({ state: 'redeemed', redemption_id: redemptionId });
  });

  it('voids the given-up WeChat attempt it replaces and gives back the attempt’s voucher', async () => {
    const code = nextCode();
    const redemptionId = await redeemed(code);
    const attempt = saleRequest(till, LATTE, [1_000], [redemptionId], [native(1_800)]);
    expect((await record(attempt)).state).toBe('open');
    const outcome = await record(voidOf([redemptionId], { replaces: attempt.id }));
    expect(outcome).toMatchObject({ state: 'voided', flags: [] });
    expect((await get<SaleView>(`/v1/sales/${attempt.id}`)).json.state).toBe('voided');
    expect(await codeRow(code)).toEqual({ state: 'issued', redemption_id: null });
  });

  it('gives back the voucher a replacing sale does not name, and keeps the one it names with it', async () => {
    const [kept, left] = [nextCode(), nextCode()];
    const keptId = await redeemed(kept);
    const leftId = await redeemed(left);
    const attempt = saleRequest(till, LATTE, [1_000, 1_000], [keptId, leftId], [native(800)]);
    expect((await record(attempt)).state).toBe('open');
    const paid = saleRequest(till, LATTE, [1_000], [keptId], [cash(1_800)], {
      replaces: attempt.id,
    });
    expect((await record(paid)).state).toBe('paid');
    expect(await redemptionRow(keptId)).toMatchObject({ status: 'accepted', sale_id: paid.id });
    expect(await redemptionRow(leftId)).toMatchObject({ status: 'returned', sale_id: attempt.id });
    expect(await codeRow(left)).toEqual({ state: 'issued', redemption_id: null });
    expect(await audits(`code:${left}`, 'redemption.returned')).toEqual([
      expect.objectContaining({ redemptionId: leftId, replacedBy: paid.id }),
    ]);
  });

  it('gives back the unnamed voucher of a replaced sale that arrives after the sale replacing it', async () => {
    const [kept, left] = [nextCode(), nextCode()];
    const keptId = await redeemed(kept);
    const leftId = await redeemed(left);
    const attempt = saleRequest(till, LATTE, [1_000, 1_000], [keptId, leftId], [native(800)]);
    const paid = saleRequest(till, LATTE, [1_000], [keptId], [cash(1_800)], {
      replaces: attempt.id,
    });
    expect((await record(paid)).state).toBe('paid');
    expect((await record(attempt)).state).toBe('voided');
    expect(await redemptionRow(keptId)).toMatchObject({ status: 'accepted', sale_id: paid.id });
    expect(await redemptionRow(leftId)).toMatchObject({ status: 'returned', sale_id: attempt.id });
    expect(await codeRow(kept)).toEqual({ state: 'redeemed', redemption_id: keptId });
    expect(await codeRow(left)).toEqual({ state: 'issued', redemption_id: null });
  });

  it('records a void pushed in one batch after the sale it replaces, in queue order', async () => {
    const code = nextCode();
    const redemptionId = await redeemed(code);
    const attempt = saleRequest(till, LATTE, [1_000], [redemptionId], [native(1_800)], {
      offline: true,
    });
    const voided = voidOf([redemptionId], { replaces: attempt.id, offline: true });
    const r = await post<{ outcomes: SaleResponse[] }>('/v1/sales/batch', {
      items: [attempt, voided],
    });
    expect(r.status).toBe(200);
    // Each answer is the sale as its write left it: the attempt was open until the void came.
    expect(r.json.outcomes.map((o) => o.outcome.state)).toEqual(['open', 'voided']);
    expect((await get<SaleView>(`/v1/sales/${attempt.id}`)).json.state).toBe('voided');
    expect(await codeRow(code)).toEqual({ state: 'issued', redemption_id: null });
  });

  // Last: it stops the server. The voids above took redemptions out of the live aggregates.
  it('rebuilds from the ledger after voids to the rows the live upkeep kept', async () => {
    await server.stop();
    const storage = await reopenStorage(server);
    try {
      await expectRebuildAgrees(storage);
    } finally {
      await storage.close();
    }
  });
});
