import { describe, expect, it } from 'vitest';
import { PrintRequest } from '../devices/contract';
import { layoutRefund } from './refund-layout';
import { RefundReceipt } from './refund-model';
import { layoutPrintable } from './shift-layout';
import { textWidth } from './width';

const SALE = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

const refund = (
  locale: 'zh-CN' | 'en' = 'zh-CN',
  returnedVouchers: readonly string[] = [],
): RefundReceipt =>
  RefundReceipt.parse({
    kind: 'refund',
    locale,
    store: {
      id: 'sh-001',
      name: '上海静安店',
      address: null,
      phone: null,
      timeZone: 'Asia/Shanghai',
    },
    terminalName: '1号收银台',
    cashier: '王小明',
    refundId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60',
    saleId: SALE,
    at: '2026-11-22T02:00:00.000Z',
    printedAt: '2026-11-22T02:00:05.000Z',
    approvedBy: 'sh001-manager',
    reason: '顾客退货',
    lines: [{ name: '拿铁 Latte 大杯 (燕麦奶, 少冰, 加浓缩一份)', quantity: 1, amountFen: 2405 }],
    amountFen: 3405,
    parts: [
      { kind: 'wechat', amountFen: 2405, state: 'succeeded' },
      { kind: 'cash', amountFen: 1000, state: 'succeeded' },
    ],
    returnedVouchers,
  });

const RETURNED = 'TP1-CASH-0001-7H3K';

const texts = (r: RefundReceipt, columns: 32 | 48) =>
  layoutRefund(r, columns).rows.flatMap((row) => (row.kind === 'text' ? [row] : []));

describe('layoutRefund', () => {
  for (const columns of [32, 48] as const)
    for (const locale of ['zh-CN', 'en'] as const)
      it(`keeps every ${locale} row within ${columns} columns`, () => {
        for (const row of texts(refund(locale, [RETURNED]), columns))
          expect(textWidth(row.text)).toBeLessThanOrEqual(row.large ? columns / 2 : columns);
      });

  it('prints the lines, the total and each way the money goes back with its state', () => {
    const rows = texts(refund(), 48).map((r) => r.text);
    expect(rows.some((t) => /^退款合计 +-￥34\.05$/.test(t))).toBe(true);
    expect(rows.some((t) => /原路退回微信支付 +￥24\.05 成功$/.test(t))).toBe(true);
    expect(rows.some((t) => /现金退款 +￥10\.00 成功$/.test(t))).toBe(true);
    expect(rows.some((t) => /x1 +-￥24\.05$/.test(t))).toBe(true);
    expect(rows.some((t) => t.includes('sh001-manager'))).toBe(true);
  });

  it('says the vouchers given back can be used again, each code masked to its last four', () => {
    for (const [locale, heading] of [
      ['zh-CN', '券已退回, 可再次使用:'],
      ['en', 'Voucher returned, can be used again:'],
    ] as const) {
      const rows = texts(refund(locale, [RETURNED, 'GIFT-0002']), 48).map((r) => r.text);
      const at = rows.indexOf(heading);
      expect(at).toBeGreaterThan(-1);
      expect(rows.slice(at + 1, at + 3)).toEqual(['  ******7H3K', '  *****0002']);
      expect(rows.join('\n')).not.toContain(RETURNED);
    }
  });

  it('prints a return the vouchers paid for with its lines, no sign on nothing and no way back', () => {
    const zero = RefundReceipt.parse({
      ...refund('zh-CN', [RETURNED]),
      lines: [{ name: '牛角包', quantity: 2, amountFen: 0 }],
      amountFen: 0,
      parts: [],
    });
    const rows = texts(zero, 48).map((r) => r.text);
    expect(rows.some((t) => /^退款合计 +￥0\.00$/.test(t))).toBe(true);
    expect(rows.some((t) => /x2 +￥0\.00$/.test(t))).toBe(true);
    expect(rows.some((t) => t.includes('原路退回') || t.includes('现金退款'))).toBe(false);
    expect(rows).toContain('券已退回, 可再次使用:');
  });

  it('says nothing of vouchers when the refund gave none back', () => {
    const rows = texts(refund('en'), 48).map((r) => r.text);
    expect(rows.some((t) => t.includes('Voucher returned'))).toBe(false);
  });

  it('prints the sale id whole and as a QR code, never as Code 128', () => {
    const layout = layoutRefund(refund('en'), 32);
    expect(layout.rows).toContainEqual({ kind: 'qr', data: SALE });
    expect(layout.rows.some((r) => r.kind === 'code128')).toBe(false);
    const joined = layout.rows.flatMap((r) => (r.kind === 'text' ? [r.text.trim()] : [])).join('');
    expect(joined).toContain(SALE);
  });

  it('goes to the printer through the same print request as a sale receipt', () => {
    const request = PrintRequest.parse({
      jobId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
      expiresAt: '2026-11-22T10:05:00.000Z',
      printerId: null,
      receipt: refund(),
      openDrawer: false,
    });
    expect(layoutPrintable(request.receipt, 32).rows).toEqual(layoutRefund(refund(), 32).rows);
  });
});
