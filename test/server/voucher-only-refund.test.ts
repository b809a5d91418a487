import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  BatchRow,
  ManagerApproval,
  RedemptionResponse,
  RefundView,
  SaleResponse,
  SaleView,
  Tender,
} from '../../core/protocol';
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
/** demo-gift: croissants free (¥15 each), set here to two a voucher and to give its codes back. */
const GIFT = 'demo-gift';
const CROISSANT = 1_500;
/** A carrier bag at 1 fen, added to the catalog here: a line that can cost nothing after vouchers. */
const BAG = 'carrier-bag';

describe.each(DRIVERS)('a return from a sale paid wholly by vouchers on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  const codes: string[] = [];

  const post = <T>(path: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: till.token, body });
  const get = <T>(path: string) => call<T>(server.url, 'GET', path, { token: till.token });
  const rows = <T>(text: string, params: unknown[]) => server.db.rows<T>(text, params);

  /** A sale of `croissants` (and `bags`) with one gift voucher, the rest (if any) in cash. */
  async function giftSale(
    croissants: number,
    bags = 0,
  ): Promise<{ saleId: string; code: string; dueFen: number }> {
    const code = codes.shift();
    if (code === undefined) throw new Error('no demo gift code left');
    const cart = cartOf([
      ['croissant', 'bakery', CROISSANT, croissants],
      ...(bags > 0 ? [[BAG, 'bakery', 1, bags] as const] : []),
    ]);
    const r = redemption(till, code, { cart });
    const redeemed = await post<RedemptionResponse>('/v1/redemptions', r);
    expect(redeemed.json.outcome.status).toBe('accepted');
    const discountFen = croissants * CROISSANT;
    const dueFen = bags;
    const tenders: Tender[] =
      dueFen === 0 ? [] : [{ kind: 'cash', amountFen: dueFen, tenderedFen: dueFen } as Tender];
    const sale = saleRequest(till, cart, [discountFen], [r.id], tenders);
    const recorded = await post<SaleResponse>('/v1/sales', sale);
    expect(recorded.json.outcome.totals.dueFen).toBe(dueFen);
    expect((await get<SaleView>(`/v1/sales/${sale.id}`)).json.state).toBe('paid');
    return { saleId: sale.id, code, dueFen };
  }

  const returnLines = (
    saleId: string,
    lines: { lineId: string; quantity: number }[],
    approval: ManagerApproval | null = MANAGER,
    refundId: string = randomUUID(),
  ) =>
    post<RefundView & ApiError>('/v1/refunds', {
      refundId,
      saleId,
      reason: '顾客退货',
      lines,
      ...(approval && { approval }),
    });
  const codeState = async (code: string) =>
    (await rows<{ state: string }>('select state from codes where code = ?', [code]))[0]?.state;
  const tenderRows = () =>
    rows<Record<string, unknown>>(
      'select tender, sales, amount_fen, refunds, refund_fen from report_tender_day where store_id = ? order by day, tender',
      ['sh-001'],
    );

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    codes.push(...demoCodes(server, GIFT));
    const token = await loginManager(server, 0);
    const url = `/v1/manager/batches/${GIFT}`;
    const row = await call<BatchRow>(server.url, 'GET', url, { token });
    const saved = await call<BatchRow>(server.url, 'POST', url, {
      token,
      body: {
        batch: {
          ...row.json.batch,
          benefit: { kind: 'gift', sku: 'croissant', quantity: 2 },
          returnOnRefund: true,
        },
        version: row.json.version,
        requestId: randomUUID(),
      },
    });
    expect(saved.status).toBe(200);
    const bag = await call(server.url, 'POST', '/v1/manager/products', {
      token,
      body: { sku: BAG, name: '购物袋', category: 'bakery', priceFen: 1, barcodes: [] },
    });
    expect(bag.status).toBe(200);
  });
  afterAll(() => server.close());

  it('returns one of two croissants as a refund of no money: approved, done at once with no part, the sale partly refunded, the voucher kept', async () => {
    const sale = await giftSale(2);
    const tendersBefore = await tenderRows();
    const r = await returnLines(sale.saleId, [{ lineId: 'l1', quantity: 1 }]);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      amountFen: 0,
      state: 'succeeded',
      parts: [],
      saleState: 'partly_refunded',
      returnedVouchers: [],
    });
    const view = (await get<SaleView>(`/v1/sales/${sale.saleId}`)).json;
    expect(view).toMatchObject({ state: 'partly_refunded', refundedFen: 0, refundableFen: 0 });
    expect(view.lines.map((l) => [l.lineId, l.quantity, l.refundedQuantity])).toEqual([
      ['l1', 2, 1],
    ]);
    expect(await codeState(sale.code)).toBe('redeemed');
    const audit = await rows<{ action: string }>(
      'select action from audit_log where subject = ? order by seq',
      [`refund:${r.json.refundId}`],
    );
    expect(audit.map((a) => a.action)).toEqual(['approval.granted', 'refund.requested']);
    expect(
      await rows('select seq from refund_parts where refund_id = ?', [r.json.refundId]),
    ).toHaveLength(0);
    // No money went back: the sales report counts no refund under any tender.
    expect(await tenderRows()).toEqual(tendersBefore);
  });

  it('refuses the units already returned, gives the voucher back when the rest comes back, then refuses any more', async () => {
    const sale = await giftSale(2);
    expect((await returnLines(sale.saleId, [{ lineId: 'l1', quantity: 1 }])).status).toBe(200);
    const twice = await returnLines(sale.saleId, [{ lineId: 'l1', quantity: 2 }]);
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('REFUND_EXCEEDS_REFUNDABLE');
    expect(twice.json.message).toContain('has 1 left to refund, not 2');
    const rest = await returnLines(sale.saleId, [{ lineId: 'l1', quantity: 1 }]);
    expect(rest.json).toMatchObject({
      amountFen: 0,
      state: 'succeeded',
      saleState: 'refunded',
      returnedVouchers: [sale.code],
    });
    expect(await codeState(sale.code)).toBe('issued');
    const more = await returnLines(sale.saleId, [{ lineId: 'l1', quantity: 1 }]);
    expect(more.status).toBe(409);
    expect(more.json.message).toContain('refunded in full already');
  });

  it('needs a store manager’s approval like every refund, and writes nothing without it', async () => {
    const sale = await giftSale(2);
    const r = await returnLines(sale.saleId, [{ lineId: 'l1', quantity: 2 }], null);
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('APPROVAL_REQUIRED');
    expect(r.json.message).toContain('A refund of 0 fen');
    expect(await rows('select id from refunds where sale_id = ?', [sale.saleId])).toHaveLength(0);
    expect((await get<SaleView>(`/v1/sales/${sale.saleId}`)).json.state).toBe('paid');
  });

  it('answers a repeat of the return with the same refund, recorded once', async () => {
    const sale = await giftSale(2);
    const refundId = randomUUID();
    const first = await returnLines(
      sale.saleId,
      [{ lineId: 'l1', quantity: 2 }],
      MANAGER,
      refundId,
    );
    const again = await returnLines(
      sale.saleId,
      [{ lineId: 'l1', quantity: 2 }],
      MANAGER,
      refundId,
    );
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(await rows('select id from refunds where sale_id = ?', [sale.saleId])).toHaveLength(1);
  });

  it('keeps refusing a line that cost nothing after the vouchers from a sale that took money, alone or once the money is all back', async () => {
    // Two free croissants and a 1-fen bag: the bag's share of the ¥30 gift rounds to its whole fen.
    const sale = await giftSale(2, 1);
    const view = (await get<SaleView>(`/v1/sales/${sale.saleId}`)).json;
    expect(view.lines.map((l) => l.netFen)).toEqual([1, 0]);
    const bag = await returnLines(sale.saleId, [{ lineId: 'l2', quantity: 1 }]);
    expect(bag.status).toBe(409);
    expect(bag.json.message).toContain('cost nothing after the sale');
    const croissants = await returnLines(sale.saleId, [{ lineId: 'l1', quantity: 2 }]);
    expect(croissants.json).toMatchObject({ amountFen: 1, saleState: 'refunded' });
    const after = await returnLines(sale.saleId, [{ lineId: 'l2', quantity: 1 }]);
    expect(after.status).toBe(409);
    expect(after.json.message).toContain('refunded in full already');
  });

  // Last: it stops the server. Returns above gave a voucher back and kept others.
  it('rebuilds from the ledger after zero-money returns to the rows the live upkeep kept', async () => {
    await server.stop();
    const storage = await reopenStorage(server);
    try {
      await expectRebuildAgrees(storage);
    } finally {
      await storage.close();
    }
  });
});
