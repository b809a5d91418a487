import { describe, expect, it } from 'vitest';
import { fen } from '../money';
import { layoutReceipt } from './layout';
import type { Receipt } from './model';
import { Receipt as ReceiptSchema } from './model';
import { isPrintableCodePoint, REPLACEMENT_MARK } from './printable-text';
import { textWidth } from './width';

const receipt = (over: Partial<Receipt> = {}): Receipt =>
  ReceiptSchema.parse({
    saleId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    locale: 'zh-CN',
    store: {
      id: 'sh-001',
      name: '上海静安店',
      address: '上海市静安区南京西路1788号',
      phone: '021-5555 0101',
      timeZone: 'Asia/Shanghai',
    },
    terminalId: 'T1',
    terminalName: '1号收银台',
    cashier: '王小明',
    at: '2026-11-22T05:05:07.000Z',
    lines: [
      { name: '拿铁咖啡 大杯', quantity: 2, unitPriceFen: 3200, amountFen: 6400 },
      { name: 'Croissant', quantity: 1, unitPriceFen: 1800, amountFen: 1800 },
      {
        name: '北海道牛乳吐司（限定款）加厚切片装 Hokkaido milk bread',
        quantity: 1,
        unitPriceFen: 2600,
        amountFen: 2600,
      },
    ],
    vouchers: [{ code: 'TP-8F3K-29QZ', name: '满100减20', discountFen: 2000, pendingSync: true }],
    totals: { subtotalFen: 10800, discountFen: 2000, totalFen: 8800 },
    tenders: [{ kind: 'cash', amountFen: 10000, reference: null }],
    changeFen: 1200,
    pendingSync: true,
    reprintedAt: null,
    footer: ['谢谢惠顾 欢迎再来'],
    ...over,
  });

const textRows = (r: Receipt, columns: 32 | 48) =>
  layoutReceipt(r, columns).rows.flatMap((row) => (row.kind === 'text' ? [row] : []));

describe('layoutReceipt', () => {
  it('names the till as the store calls it, not by its id', () => {
    const terminalRow = textRows(
      receipt({ terminalId: 't-e64cc879-ab73-49e9' as Receipt['terminalId'] }),
      32,
    ).find((r) => r.text.startsWith('终端'));
    expect(terminalRow?.text).toMatch(/1号收银台$/);
    expect(terminalRow?.text).not.toContain('t-e64cc879');
  });

  for (const columns of [32, 48] as const) {
    it(`never lets a row run past ${columns} columns, counting Chinese characters as two`, () => {
      for (const row of textRows(receipt(), columns)) {
        expect(textWidth(row.text)).toBeLessThanOrEqual(row.large ? columns / 2 : columns);
      }
    });

    it(`right-aligns every amount to column ${columns}`, () => {
      const amounts = textRows(receipt(), columns).filter((r) => /￥[\d,]+\.\d\d$/.test(r.text));
      expect(amounts.length).toBeGreaterThan(5);
      for (const row of amounts) {
        expect(textWidth(row.text)).toBe(row.large ? columns / 2 : columns);
      }
    });
  }

  it('prints the member with the phone masked and the tier, only when the sale has one', () => {
    const member = { phone: '138****8000', tier: '金卡会员' };
    for (const columns of [32, 48] as const) {
      const row = textRows(receipt({ member }), columns).find((r) => r.text.startsWith('会员'));
      expect(row?.text).toMatch(/138\*\*\*\*8000 金卡会员$/);
      expect(textWidth(row?.text ?? '')).toBe(columns);
    }
    expect(textRows(receipt(), 32).some((r) => r.text.startsWith('会员'))).toBe(false);
  });

  it('puts name, quantity and amount on one row at 48 columns when they fit', () => {
    const rows = textRows(receipt(), 48).map((r) => r.text);
    expect(rows).toContain(`拿铁咖啡 大杯  2 x ￥32.00${' '.repeat(15)}￥64.00`);
  });

  it('wraps a long Chinese product name without splitting a character', () => {
    const rows = textRows(receipt(), 32).map((r) => r.text);
    const start = rows.findIndex((t) => t.startsWith('北海道'));
    expect(start).toBeGreaterThan(0);
    expect(rows[start + 1]).toMatch(/^\S/);
    expect(`${rows[start]}${rows[start + 1]}`.replace(/ /g, '')).toContain(
      '北海道牛乳吐司（限定款）加厚切片装',
    );
  });

  it('marks offline redemptions as pending sync, on top and beside the voucher', () => {
    const rows = textRows(receipt(), 32).map((r) => r.text);
    expect(rows).toContain('*** 待同步 ***');
    expect(rows.some((t) => t.includes('满100减20 (待同步)'))).toBe(true);
    expect(textRows(receipt({ pendingSync: false }), 32).map((r) => r.text)).not.toContain(
      '*** 待同步 ***',
    );
  });

  it('masks voucher codes but keeps the last four characters', () => {
    const rows = textRows(receipt(), 48).map((r) => r.text);
    expect(rows.some((t) => t.includes('TP-8F3K-29QZ'))).toBe(false);
    expect(rows.some((t) => /\*+29QZ +-￥20\.00$/.test(t))).toBe(true);
  });

  it('prints a sale id too long for 58 mm paper whole, on its own row', () => {
    const rows = textRows(receipt(), 32);
    const label = rows.findIndex((r) => r.text === '单号:');
    expect(rows[label + 1]).toMatchObject({
      text: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f',
      align: 'right',
    });
    expect(rows[label + 2]).toMatchObject({ text: '4a5b', align: 'right' });
  });

  it('prints the store-local time, not UTC', () => {
    const rows = textRows(receipt(), 32).map((r) => r.text);
    expect(rows.some((t) => t.endsWith('2026-11-22 13:05:07'))).toBe(true);
  });

  it('marks a reprint with when it was reprinted and keeps the original sale time', () => {
    const rows = textRows(receipt({ reprintedAt: '2026-11-23T01:00:00.000Z' }), 32).map(
      (r) => r.text,
    );
    expect(rows).toContain('*** 重印 ***');
    expect(rows).toContain('2026-11-23 09:00:00');
    expect(rows.some((t) => t.endsWith('2026-11-22 13:05:07'))).toBe(true);
  });

  it('puts a QR of the sale id after the totals and the cut last', () => {
    const rows = layoutReceipt(receipt(), 48).rows;
    const qr = rows.findIndex((r) => r.kind === 'qr');
    expect(rows[qr]).toEqual({ kind: 'qr', data: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' });
    expect(qr).toBeGreaterThan(
      rows.findIndex((r) => r.kind === 'text' && r.text.startsWith('应付')),
    );
    expect(rows.at(-1)).toEqual({ kind: 'cut' });
  });

  it('speaks English when the receipt locale is en', () => {
    const rows = textRows(receipt({ locale: 'en', pendingSync: false }), 48).map((r) => r.text);
    expect(rows.some((t) => t.startsWith('Subtotal'))).toBe(true);
    expect(rows.some((t) => t.startsWith('Change') && t.endsWith('￥12.00'))).toBe(true);
  });

  it('gives the same rows for the same receipt', () => {
    expect(layoutReceipt(receipt(), 32)).toEqual(layoutReceipt(receipt(), 32));
  });

  it('keeps totals in fen exact when formatting', () => {
    const rows = textRows(
      receipt({ totals: { subtotalFen: fen(1), discountFen: fen(0), totalFen: fen(1) } }),
      32,
    );
    expect(rows.some((r) => r.text.endsWith('￥0.01'))).toBe(true);
  });

  describe('with characters a GBK printer cannot print', () => {
    const odd = ReceiptSchema.parse({
      ...receipt(),
      store: { ...receipt().store, name: '¥上海店🍔', address: null, phone: null },
      cashier: '王䶮',
      lines: [{ name: '汉堡🍔 Jalapeño', quantity: 1, unitPriceFen: 3200, amountFen: 3200 }],
      footer: ['谢谢 👍🏻'],
    });

    for (const columns of [32, 48] as const) {
      it(`prints only characters the printer has, within ${columns} columns`, () => {
        for (const row of textRows(odd, columns)) {
          for (const ch of row.text)
            expect(isPrintableCodePoint(ch.codePointAt(0) ?? 0)).toBe(true);
          expect(textWidth(row.text)).toBeLessThanOrEqual(row.large ? columns / 2 : columns);
        }
      });
    }

    it('puts the replacement mark where the character was and lists what it replaced', () => {
      const layout = layoutReceipt(odd, 48);
      const rows = textRows(odd, 48).map((r) => r.text);
      expect(rows).toContain(`￥上海店${REPLACEMENT_MARK}`);
      expect(rows.some((t) => t.startsWith(`汉堡${REPLACEMENT_MARK} Jalapeno  1 x ￥32.00`))).toBe(
        true,
      );
      expect(rows.some((t) => t.endsWith(`王${REPLACEMENT_MARK}`))).toBe(true);
      expect(rows).toContain(`谢谢 ${REPLACEMENT_MARK}`);
      expect(layout.substitutions).toEqual([
        { original: '¥', printed: '￥' },
        { original: '🍔', printed: REPLACEMENT_MARK },
        { original: '䶮', printed: REPLACEMENT_MARK },
        { original: 'ñ', printed: 'n' },
        { original: '👍🏻', printed: REPLACEMENT_MARK },
      ]);
    });

    it('lists no substitutions for a receipt the printer prints as it is', () => {
      expect(layoutReceipt(receipt(), 32).substitutions).toEqual([]);
    });
  });

  it('prints a sale id short enough as a Code 128 barcode instead of a QR code', () => {
    const rows = layoutReceipt(receipt({ saleId: 'S-4001' }), 32).rows;
    expect(rows.find((r) => r.kind === 'code128' || r.kind === 'qr')).toMatchObject({
      kind: 'code128',
      data: 'S-4001',
    });
  });
});
