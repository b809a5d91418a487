import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { layoutReceipt } from '../../core/receipt/layout';
import { REPLACEMENT_MARK } from '../../core/receipt/printable-text';
import type { ReceiptLayout } from '../../core/receipt/rows';
import { testPageLayout } from '../../core/receipt/testPage';
import { textWidth } from '../../core/receipt/width';
import { saleReceipt } from '../../test/devices/fixtures';
import { code128Path, printedLayout, qrPath, ReceiptPreview, textRuns } from './ReceiptPreview';

describe('receipt preview', () => {
  it('gives every character the columns the printer gives it', () => {
    for (const columns of [32, 48] as const) {
      for (const row of layoutReceipt(saleReceipt('S-4001'), columns).rows) {
        if (row.kind !== 'text') continue;
        const cells = textRuns(row.text).reduce((n, r) => n + r.cells, 0);
        expect(cells).toBe(textWidth(row.text));
        expect(cells * (row.large ? 2 : 1)).toBeLessThanOrEqual(columns);
      }
    }
  });

  it('keeps ASCII together and puts each wide character in its own two-column cell', () => {
    expect(textRuns('应付 ￥27.00')).toEqual([
      { text: '应', cells: 2 },
      { text: '付', cells: 2 },
      { text: ' ', cells: 1 },
      { text: '￥', cells: 2 },
      { text: '27.00', cells: 5 },
    ]);
  });

  it('draws a short sale id as Code 128, and the pending-sync and reprint marks', () => {
    const html = renderToStaticMarkup(
      <ReceiptPreview
        receipt={saleReceipt('S-4001', { reprintedAt: '2026-11-22T06:00:00.000Z' })}
        columns={32}
      />,
    );
    expect(html).toContain('data-code128="S-4001"');
    expect(html).not.toContain('data-qr=');
    // 90 modules at the encoder's 2 dots a module.
    expect(html).toContain('--bar-dots:180');
    expect(html).toContain('data-columns="32"');
    expect(html).toContain('58 mm');
    expect(html).toContain('data-testid="receipt-pending"');
    expect(html).toContain('data-testid="receipt-reprint"');
    expect(html).toContain('*** 待同步 ***');
    expect(html).toContain('*** 重印 ***');
    expect(html).toContain('rp-cut');
  });

  it('renders any layout, such as the test page, on 80 mm paper', () => {
    const html = renderToStaticMarkup(
      <ReceiptPreview layout={testPageLayout({ name: 'LAN', columns: 48 }, 'now')} locale="en" />,
    );
    expect(html).toContain('80 mm');
    expect(html).toContain('48 characters a line');
    expect(html).toContain('data-qr="TILLPOINT-TEST"');
    expect(html).not.toContain('receipt-pending');
  });

  it('shows torn paper instead of a cut line for printers without a cutter', () => {
    const html = renderToStaticMarkup(
      <ReceiptPreview receipt={saleReceipt('S-1')} columns={48} cut={false} />,
    );
    expect(html).toContain('rp-tear');
    expect(html).not.toContain('rp-cut');
  });

  it('makes the QR symbol the printer makes (model 2, level M)', () => {
    const { size, d } = qrPath('S-4001');
    expect(size).toBe(21);
    expect(d).toMatch(/^M0 0h7v1h-7z/);
  });

  it('draws a sale id too long for a barcode on the paper as a QR code', () => {
    const id = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    const html = renderToStaticMarkup(<ReceiptPreview receipt={saleReceipt(id)} columns={48} />);
    expect(html).toContain(`data-qr="${id}"`);
    expect(html).not.toContain('data-code128');
  });

  it('draws the Code 128 bars at the module width the encoder uses', () => {
    const { modules, d } = code128Path([{ set: 'B', text: 'TILLPOINT-TEST' }]);
    expect(modules).toBe(189);
    // Start B opens with a two-module bar, the stop ends with one.
    expect(d).toMatch(/^M0 0h2v1h-2z/);
    expect(d).toMatch(/M187 0h2v1h-2z$/);
  });

  describe('characters the printer cannot print', () => {
    const plain = saleReceipt('S-5001');
    const odd = saleReceipt('S-5001', {
      store: { ...plain.store, name: '¥上海店🍔' },
      cashier: '王䶮',
    });

    it('shows the mark where the printer prints it, highlighted, and lists what was replaced', () => {
      const html = renderToStaticMarkup(<ReceiptPreview receipt={odd} columns={48} />);
      expect(html).toContain(`data-text="￥上海店${REPLACEMENT_MARK}"`);
      expect(html).toContain(
        `<span class="rp-wide rp-replaced" style="--cells:2" title="打印机无法打印这里原来的字符" data-replaced="">${REPLACEMENT_MARK}</span>`,
      );
      expect(html).toContain('data-testid="receipt-substitutions"');
      expect(html).toContain('打印机字库里没有以下字符');
      expect(html).toContain(`data-original="🍔" data-printed="${REPLACEMENT_MARK}"`);
      expect(html).toContain('data-original="䶮"');
      expect(html).toContain('data-original="¥" data-printed="￥"');
      expect(html).not.toContain('🍔</span></div>');
    });

    it('explains the replacement in English too', () => {
      const html = renderToStaticMarkup(<ReceiptPreview receipt={odd} columns={32} locale="en" />);
      expect(html).toContain('These characters are not in the printer&#x27;s font');
      expect(html).toContain('title="The printer cannot print the character that was here"');
    });

    it('says nothing and highlights nothing for a receipt that prints as it is', () => {
      const html = renderToStaticMarkup(
        <ReceiptPreview receipt={saleReceipt('S-1')} columns={48} />,
      );
      expect(html).not.toContain('receipt-substitutions');
      expect(html).not.toContain('rp-replaced');
    });

    it('fits rows of any layout with the function the encoder uses, so it shows what prints', () => {
      const layout: ReceiptLayout = {
        columns: 32,
        rows: [{ kind: 'text', text: '¥5 🎉', align: 'left', bold: false, large: false }],
        substitutions: [],
      };
      expect(printedLayout(layout)).toEqual({
        rows: [
          {
            kind: 'text',
            text: `￥5 ${REPLACEMENT_MARK}`,
            align: 'left',
            bold: false,
            large: false,
          },
        ],
        substitutions: [
          { original: '¥', printed: '￥' },
          { original: '🎉', printed: REPLACEMENT_MARK },
        ],
      });
      const html = renderToStaticMarkup(<ReceiptPreview layout={layout} />);
      expect(html).toContain(`data-text="￥5 ${REPLACEMENT_MARK}"`);
      expect(html).toContain('rp-replaced');
    });
  });
});
