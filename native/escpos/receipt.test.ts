import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { layoutReceipt } from '../../core/receipt/layout';
import { Receipt } from '../../core/receipt/model';
import { testPageLayout } from '../../core/receipt/testPage';
import { printedLines, tokenize } from '../../test/sim/escposTokenizer';
import { EscPosWriter } from './commands';
import { encodeReceipt } from './receipt';

const sale = Receipt.parse({
  saleId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  locale: 'zh-CN',
  store: {
    id: 'sh-001',
    name: '上海静安店',
    address: null,
    phone: null,
    timeZone: 'Asia/Shanghai',
  },
  terminalId: 'T1',
  terminalName: '1号收银台',
  cashier: '王小明',
  at: '2026-11-22T05:05:07.000Z',
  lines: [{ name: '拿铁咖啡', quantity: 2, unitPriceFen: 3200, amountFen: 6400 }],
  vouchers: [],
  totals: { subtotalFen: 6400, discountFen: 0, totalFen: 6400 },
  tenders: [{ kind: 'cash', amountFen: 6400, reference: null }],
  changeFen: 0,
  pendingSync: false,
  reprintedAt: null,
  footer: [],
});

describe('ESC/POS receipt encoding', () => {
  const bytes = encodeReceipt(layoutReceipt(sale, 48), { cut: true, openDrawer: true });
  const tokens = tokenize(bytes);

  it('initialises, then turns Chinese mode back on before any text', () => {
    expect(tokens.slice(0, 2)).toEqual([{ type: 'initialize' }, { type: 'chinese_on' }]);
  });

  it('sends Chinese text as GB18030 that decodes back to the same words', () => {
    const lines = printedLines(tokens);
    expect(lines).toContain('上海静安店');
    expect(lines.some((l) => l.startsWith('拿铁咖啡  2 x ￥32.00'))).toBe(true);
    expect(Buffer.from(bytes).includes(iconv.encode('上海静安店', 'gb18030'))).toBe(true);
  });

  it('prints ￥ as the two-byte full-width sign, never the four-byte ¥', () => {
    expect(Buffer.from(bytes).includes(Buffer.from([0xa3, 0xa4]))).toBe(true);
    expect(Buffer.from(bytes).includes(iconv.encode('¥', 'gb18030'))).toBe(false);
  });

  it('stores the sale id as the QR payload with model 2, then prints it', () => {
    const at = tokens.findIndex((t) => t.type === 'qr_store');
    expect(tokens[at]).toEqual({ type: 'qr_store', data: sale.saleId });
    expect(tokens.slice(at - 3, at)).toEqual([
      { type: 'qr_setting', fn: 'model', value: 0x32 },
      { type: 'qr_setting', fn: 'size', value: 6 },
      { type: 'qr_setting', fn: 'level', value: 49 },
    ]);
    expect(tokens[at + 1]).toEqual({ type: 'qr_print' });
  });

  it('cuts after the last line and pulses the drawer after the cut', () => {
    const types = tokens.map((t) => t.type);
    const cut = types.lastIndexOf('cut');
    expect(cut).toBeGreaterThan(types.lastIndexOf('text'));
    expect(types.indexOf('drawer')).toBeGreaterThan(cut);
    expect(tokens.find((t) => t.type === 'drawer')).toEqual({
      type: 'drawer',
      pin: 2,
      onMs: 50,
      offMs: 500,
    });
  });

  it('leaves out the cut and the drawer pulse when not wanted', () => {
    const plain = tokenize(
      encodeReceipt(layoutReceipt(sale, 32), { cut: false, openDrawer: false }),
    );
    expect(plain.some((t) => t.type === 'cut' || t.type === 'drawer')).toBe(false);
  });

  it('doubles the store name and the total, then returns to normal size', () => {
    const sizes = tokens
      .filter((t) => t.type === 'size')
      .map((t) => (t as { value: number }).value);
    expect(sizes).toEqual([0x11, 0x00, 0x11, 0x00]);
  });

  it('drops control characters from text so data cannot become a command', () => {
    const t = tokenize(new EscPosWriter().text('AB\x1bd\x05C\n').bytes());
    expect(t).toEqual([{ type: 'text', text: 'ABd' + 'C' }]);
  });

  it('encodes Code 128 set B and EAN-13 barcodes', () => {
    const t = tokenize(new EscPosWriter().code128('TP-42').ean13('690123456789').bytes());
    expect(t.filter((x) => x.type === 'barcode')).toEqual([
      { type: 'barcode', system: 73, data: '{BTP-42' },
      { type: 'barcode', system: 67, data: '690123456789' },
    ]);
  });

  it('prints a test page whose ruler matches the paper width', () => {
    const lines = printedLines(
      tokenize(
        encodeReceipt(testPageLayout({ name: 'Front', columns: 32 }, 'now'), {
          cut: true,
          openDrawer: false,
        }),
      ),
    );
    expect(lines).toContain('12345678901234567890123456789012');
    expect(lines).toContain('中文打印正常，金额￥12.50');
  });
});
