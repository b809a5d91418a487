import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  RedemptionResponse,
  SaleRequest,
  SaleResponse,
  SalesPushResponse,
  Tender,
} from '../../core/protocol';
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

describe.each(DRIVERS)('the sales ledger on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let other: PairedTerminal;
  const post = <T>(path: string, t: PairedTerminal, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: t.token, body });

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    other = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  it('records a cash sale with a voucher at the server’s figures and links the redemption', async () => {
    const cart = cartOf([
      ['latte', 'coffee', 2800, 2],
      ['croissant', 'bakery', 1500, 1],
    ]);
    const r = redemption(till, demoCodes(server, 'demo-cash')[0] ?? '', { cart });
    const redeemed = await post<RedemptionResponse>('/v1/redemptions', till, r);
    expect(redeemed.json.outcome.status).toBe('accepted');
    const s = saleRequest(till, cart, [1000], [r.id], [cash(6100, 10000)]);
    const res = await post<SaleResponse>('/v1/sales', till, s);
    expect(res.status).toBe(200);
    expect(res.json.outcome).toMatchObject({
      status: 'recorded',
      state: 'paid',
      totals: {
        subtotalFen: 7100,
        discountFen: 1000,
        dueFen: 6100,
        paidFen: 6100,
        changeFen: 3900,
      },
      flags: [],
    });
    const linked = await server.db.rows<{ sale_id: string }>(
      'select sale_id from redemptions where id = ?',
      [r.id],
    );
    expect(linked[0]?.sale_id).toBe(s.id);
    const tenders = await server.db.rows<{ kind: string; amount_fen: number | string }>(
      'select kind, amount_fen from sale_tenders where sale_id = ?',
      [s.id],
    );
    expect(tenders.map((t) => [t.kind, Number(t.amount_fen)])).toEqual([['cash', 6100]]);
  });

  it('answers a repeated sale with the stored bytes and refuses the same id with another sale', async () => {
    const cart = cartOf([['americano', 'coffee', 2200, 1]]);
    const s = saleRequest(till, cart, [], [], [cash(2200)]);
    const first = await post<SaleResponse>('/v1/sales', till, s);
    const again = await post<SaleResponse>('/v1/sales', till, s);
    expect(again.text).toBe(first.text);
    const before = await snapshotDatabase(server);
    const reused = await post<ApiError>('/v1/sales', till, { ...s, tenders: [cash(2200, 5000)] });
    expect(reused.status).toBe(409);
    expect(reused.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await snapshotDatabase(server)).toBe(before);
  });

  it('keeps the server’s figures and flags a till that claims a bigger discount or another price', async () => {
    const cart = cartOf([['cheesecake', 'bakery', 100, 1]]);
    const claimed = {
      subtotalFen: 100,
      discountFen: 5000,
      dueFen: 0,
      paidFen: 0,
      changeFen: 0,
    } as SaleRequest['totals'];
    const s = saleRequest(till, cart, [], [], [], { totals: claimed });
    const res = await post<SaleResponse>('/v1/sales', till, s);
    expect(res.json.outcome.totals).toEqual({
      subtotalFen: 3200,
      discountFen: 0,
      dueFen: 3200,
      paidFen: 0,
      changeFen: 0,
    });
    expect(res.json.outcome.flags).toEqual([
      {
        code: 'LINE_PRICE',
        reason: { code: 'PRICE_MISMATCH', sku: 'cheesecake', tillFen: 100, catalogFen: 3200 },
      },
      { code: 'UNDERPAID', dueFen: 3200, paidFen: 0 },
      { code: 'TOTAL_DIFFERS', field: 'subtotalFen', tillFen: 100, serverFen: 3200 },
      { code: 'TOTAL_DIFFERS', field: 'discountFen', tillFen: 5000, serverFen: 0 },
      { code: 'TOTAL_DIFFERS', field: 'dueFen', tillFen: 0, serverFen: 3200 },
    ]);
  });

  it('gives nothing for a voucher this till did not redeem, or one already on another sale', async () => {
    const cart = cartOf([['latte', 'coffee', 2800, 1]]);
    const theirs = redemption(other, demoCodes(server, 'demo-cash')[1] ?? '', { cart });
    expect(
      (await post<RedemptionResponse>('/v1/redemptions', other, theirs)).json.outcome.status,
    ).toBe('accepted');
    const mine = redemption(till, demoCodes(server, 'demo-cash')[2] ?? '', { cart });
    await post<RedemptionResponse>('/v1/redemptions', till, mine);
    const first = saleRequest(till, cart, [1000], [mine.id], [cash(1800)]);
    expect((await post<SaleResponse>('/v1/sales', till, first)).json.outcome.flags).toEqual([]);
    const second = saleRequest(till, cart, [1000, 1000], [mine.id, theirs.id], [cash(800)]);
    const res = await post<SaleResponse>('/v1/sales', till, second);
    expect(res.json.outcome.totals.discountFen).toBe(0);
    expect(res.json.outcome.flags).toEqual(
      expect.arrayContaining([
        { code: 'VOUCHER_NOT_ACCEPTED', redemptionId: mine.id, problem: 'other_sale' },
        { code: 'VOUCHER_NOT_ACCEPTED', redemptionId: theirs.id, problem: 'missing' },
      ]),
    );
  });

  it('records offline cash sales pushed after an outage exactly once, however often they are pushed', async () => {
    const cart = cartOf([['oolong-tea', 'tea', 1800, 1]]);
    const items = [0, 1, 2].map(() =>
      saleRequest(till, cart, [], [], [cash(1800, 2000)], { offline: true }),
    );
    const first = await post<SalesPushResponse>('/v1/sales/batch', till, { items });
    expect(first.status).toBe(200);
    expect(first.json.outcomes.map((o) => o.outcome.state)).toEqual(['paid', 'paid', 'paid']);
    const again = await post<SalesPushResponse>('/v1/sales/batch', till, { items });
    expect(again.text).toBe(first.text);
    const rows = await server.db.rows<{ n: number | string }>(
      `select count(*) as n from sales where id in (?, ?, ?)`,
      items.map((i) => i.id),
    );
    expect(Number(rows[0]?.n)).toBe(3);
  });

  it('keeps a sale with a WeChat tender open until its payment is confirmed', async () => {
    const cart = cartOf([['latte', 'coffee', 2800, 1]]);
    const s = saleRequest(
      till,
      cart,
      [],
      [],
      [{ kind: 'wechat_native', amountFen: 2800, paymentId: randomUUID() } as Tender],
    );
    const res = await post<SaleResponse>('/v1/sales', till, s);
    expect(res.json.outcome.state).toBe('open');
    const tender = await server.db.rows<{ state: string }>(
      'select state from sale_tenders where sale_id = ?',
      [s.id],
    );
    expect(tender[0]?.state).toBe('pending');
  });

  it('refuses a sale naming another terminal and changes nothing', async () => {
    const before = await snapshotDatabase(server);
    const s = saleRequest(other, cartOf([['latte', 'coffee', 2800, 1]]), [], [], [cash(2800)]);
    const res = await post<ApiError>('/v1/sales', till, s);
    expect(res.status).toBe(403);
    expect(await snapshotDatabase(server)).toBe(before);
  });
});
