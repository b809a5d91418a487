import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { layoutReceipt } from '../../core/receipt/layout';
import { Receipt } from '../../core/receipt/model';
import { RefundReceipt } from '../../core/receipt/refund-model';
import { layoutPrintable } from '../../core/receipt/shift-layout';
import { testPageLayout } from '../../core/receipt/testPage';
import { REPLACEMENT_MARK } from '../../core/receipt/printable-text';
import {
  code128Text,
  fourByteSequences,
  printedLines,
  tokenize,
} from '../../test/sim/escposTokenizer';
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

  it('prints the vouchers a refund gave back in GB18030, each code masked', () => {
    const refund = RefundReceipt.parse({
      kind: 'refund',
      locale: 'zh-CN',
      store: sale.store,
      terminalName: '1号收银台',
      cashier: '王小明',
      refundId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60',
      saleId: sale.saleId,
      at: '2026-11-22T05:10:00.000Z',
      printedAt: '2026-11-22T05:10:02.000Z',
      approvedBy: 'sh001-manager',
      reason: '顾客退货',
      lines: [],
      amountFen: 5400,
      parts: [{ kind: 'cash', amountFen: 5400, state: 'succeeded' }],
      returnedVouchers: ['TP1-CASH-0001-7H3K'],
    });
    const bytes = encodeReceipt(layoutPrintable(refund, 32), { cut: true, openDrawer: true });
    const lines = printedLines(tokenize(bytes));
    expect(lines).toContain('券已退回, 可再次使用:');
    expect(lines).toContain('  ******7H3K');
    expect(Buffer.from(bytes).includes(iconv.encode('券已退回', 'gb18030'))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from('TP1-CASH-0001'))).toBe(false);
  });

  describe('characters outside GBK', () => {
    const odd = Receipt.parse({
      ...sale,
      store: { ...sale.store, name: '¥上海店🍔' },
      cashier: '王䶮',
      lines: [{ name: '汉堡🍔 Jalapeño 𠮷', quantity: 2, unitPriceFen: 3200, amountFen: 6400 }],
      footer: ['谢谢 👨‍👩‍👧 €5 ©'],
    });

    for (const columns of [32, 48] as const) {
      it(`never sends a four-byte GB18030 sequence (${columns} columns)`, () => {
        const runs: Uint8Array[] = [];
        tokenize(encodeReceipt(layoutReceipt(odd, columns), { cut: true, openDrawer: false }), {
          onTextBytes: (raw) => runs.push(raw),
        });
        expect(runs.length).toBeGreaterThan(10);
        expect(runs.reduce((n, raw) => n + fourByteSequences(raw), 0)).toBe(0);
      });
    }

    it('prints each one as its GBK form or the replacement mark, line for line as laid out', () => {
      const layout = layoutReceipt(odd, 48);
      const lines = printedLines(tokenize(encodeReceipt(layout, { cut: true, openDrawer: false })));
      const laidOut = layout.rows.flatMap((r) => (r.kind === 'text' ? [r.text] : []));
      expect(lines.filter((l) => l !== '')).toEqual(laidOut);
      expect(lines).toContain(`￥上海店${REPLACEMENT_MARK}`);
      expect(
        lines.some((l) => l.startsWith(`汉堡${REPLACEMENT_MARK} Jalapeno ${REPLACEMENT_MARK}`)),
      ).toBe(true);
      expect(lines).toContain(`谢谢 ${REPLACEMENT_MARK} EUR5 (C)`);
    });

    it('fits text given straight to the writer too, so no caller can send one', () => {
      const bytes = new EscPosWriter().text('¥9 🍔').bytes();
      expect(fourByteSequences(bytes)).toBe(0);
      expect(tokenize(bytes)).toEqual([{ type: 'text', text: `￥9 ${REPLACEMENT_MARK}` }]);
    });

    it('counts a four-byte sequence when one is there, so the check above can fail', () => {
      expect(fourByteSequences(iconv.encode('¥🍔拿', 'gb18030'))).toBe(2);
    });
  });

  describe('sale id barcode', () => {
    const barcodes = (bytes: Uint8Array) => tokenize(bytes).filter((t) => t.type === 'barcode');

    it('prints a short sale id as Code 128 at the module width the layout measured', () => {
      const tokens = tokenize(
        encodeReceipt(layoutReceipt({ ...sale, saleId: 'S-4001' }, 32), {
          cut: true,
          openDrawer: false,
        }),
      );
      const at = tokens.findIndex((t) => t.type === 'barcode');
      expect(tokens.slice(at - 3, at)).toEqual([
        { type: 'barcode_setting', command: 'height', value: 80 },
        { type: 'barcode_setting', command: 'width', value: 2 },
        { type: 'barcode_setting', command: 'hri', value: 0 },
      ]);
      const barcode = tokens[at] as { system: number; data: string };
      expect(barcode.system).toBe(73);
      expect(barcode.data).toBe('{BS-{C\x28\x01');
      expect(code128Text(barcode.data)).toBe('S-4001');
      expect(tokens.some((t) => t.type === 'qr_store')).toBe(false);
      expect(printedLines(tokens)).toContain('S-4001');
    });

    it('falls back to a QR code when Code 128 would not fit the paper', () => {
      const id = 'TILLPOINT-TESTS';
      const narrow = tokenize(
        encodeReceipt(layoutReceipt({ ...sale, saleId: id }, 32), { cut: true, openDrawer: false }),
      );
      expect(narrow.some((t) => t.type === 'barcode')).toBe(false);
      expect(narrow.find((t) => t.type === 'qr_store')).toEqual({ type: 'qr_store', data: id });
      const wide = encodeReceipt(layoutReceipt({ ...sale, saleId: id }, 48), {
        cut: true,
        openDrawer: false,
      });
      expect(barcodes(wide).map((t) => code128Text((t as { data: string }).data))).toEqual([id]);
    });

    it('sends a literal "{" in Code 128 data as "{{"', () => {
      const [barcode] = barcodes(new EscPosWriter().code128('A{B').bytes());
      expect(barcode).toEqual({ type: 'barcode', system: 73, data: '{BA{{B' });
      expect(code128Text((barcode as { data: string }).data)).toBe('A{B');
    });
  });
});
