import { describe, expect, it } from 'vitest';
import { PrintRequest } from '../devices/contract';
import { layoutPrintable, layoutShiftReport, signedMoney } from './shift-layout';
import { ShiftReceipt } from './shift-model';
import { textWidth } from './width';

const shift = (over: { locale?: 'zh-CN' | 'en'; state?: 'open' | 'closed' } = {}): ShiftReceipt =>
  ShiftReceipt.parse({
    kind: 'shift_report',
    locale: over.locale ?? 'zh-CN',
    store: {
      id: 'sh-001',
      name: '上海静安店',
      address: null,
      phone: null,
      timeZone: 'Asia/Shanghai',
    },
    terminalName: '1号收银台',
    cashier: '王小明',
    printedAt: '2026-11-22T10:00:00.000Z',
    report: {
      shiftId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      storeId: 'sh-001',
      terminalId: 't-1',
      cashierId: 'u-1',
      state: over.state ?? 'closed',
      openedAt: '2026-11-22T01:00:00.000Z',
      closedAt: over.state === 'open' ? null : '2026-11-22T09:59:00.000Z',
      figures: {
        sales: { count: 2, subtotalFen: 9300, discountFen: 1000, amountFen: 8300 },
        tenders: [
          { kind: 'cash', count: 2, amountFen: 8300 },
          { kind: 'wechat_native', count: 0, amountFen: 0 },
          { kind: 'wechat_code', count: 0, amountFen: 0 },
        ],
        vouchers: [{ batchId: 'demo-cash', name: '10元无门槛券', count: 1, amountFen: 1000 }],
        refunds: { count: 1, cashFen: 2200, wechatFen: 0 },
        voids: { count: 0, amountFen: 0 },
        unpaid: { count: 1, amountFen: 2800 },
        cash: {
          floatFen: 50000,
          tenderedFen: 12200,
          changeFen: 3900,
          refundsFen: 2200,
          expectedFen: 56100,
          countedFen: over.state === 'open' ? null : 56000,
          differenceFen: over.state === 'open' ? null : -100,
        },
      },
      pending: over.state === 'open' ? null : { sales: 0, redemptions: 1 },
    },
  });

const texts = (r: ShiftReceipt, columns: 32 | 48) =>
  layoutShiftReport(r, columns).rows.flatMap((row) => (row.kind === 'text' ? [row] : []));

describe('layoutShiftReport', () => {
  for (const columns of [32, 48] as const)
    for (const locale of ['zh-CN', 'en'] as const)
      it(`keeps every ${locale} row within ${columns} columns`, () => {
        for (const row of texts(shift({ locale }), columns))
          expect(textWidth(row.text)).toBeLessThanOrEqual(row.large ? columns / 2 : columns);
      });

  it('prints the drawer: expected, counted and the shortfall with its sign', () => {
    const rows = texts(shift(), 48).map((r) => r.text);
    expect(rows.some((t) => /应有现金 +￥561\.00$/.test(t))).toBe(true);
    expect(rows.some((t) => /实点现金 +￥560\.00$/.test(t))).toBe(true);
    expect(rows.some((t) => /差额 +-￥1\.00$/.test(t))).toBe(true);
    expect(rows.some((t) => /现金 x2 +￥83\.00$/.test(t))).toBe(true);
    expect(rows.some((t) => /10元无门槛券/.test(t))).toBe(true);
    expect(rows.some((t) => /离线核销 +1$/.test(t))).toBe(true);
  });

  it('marks a report printed while the shift is still open, with no count yet', () => {
    const rows = texts(shift({ state: 'open', locale: 'en' }), 48).map((r) => r.text);
    expect(rows.some((t) => t.includes('SHIFT STILL OPEN'))).toBe(true);
    expect(rows.some((t) => t.includes('Counted cash'))).toBe(false);
  });

  it('goes to the printer through the same print request as a sale receipt', () => {
    const request = PrintRequest.parse({
      jobId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
      expiresAt: '2026-11-22T10:05:00.000Z',
      printerId: null,
      receipt: shift(),
      openDrawer: false,
    });
    expect(layoutPrintable(request.receipt, 32).rows).toEqual(layoutShiftReport(shift(), 32).rows);
  });

  it('writes a difference as short, over or even', () => {
    expect([signedMoney(-100), signedMoney(250), signedMoney(0)]).toEqual([
      '-￥1.00',
      '+￥2.50',
      '￥0.00',
    ]);
  });
});
