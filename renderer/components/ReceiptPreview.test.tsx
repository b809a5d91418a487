import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { layoutReceipt } from '../../core/receipt/layout';
import { testPageLayout } from '../../core/receipt/testPage';
import { textWidth } from '../../core/receipt/width';
import { saleReceipt } from '../../test/devices/fixtures';
import { qrPath, ReceiptPreview, textRuns } from './ReceiptPreview';

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

  it('draws the sale id as a QR code, and the pending-sync and reprint marks', () => {
    const html = renderToStaticMarkup(
      <ReceiptPreview
        receipt={saleReceipt('S-4001', { reprintedAt: '2026-11-22T06:00:00.000Z' })}
        columns={32}
      />,
    );
    expect(html).toContain('data-qr="S-4001"');
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
});
