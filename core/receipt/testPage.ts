import type { ReceiptLayout, ReceiptRow } from './rows';

const row = (text: string, align: 'left' | 'center' = 'left', bold = false): ReceiptRow => ({
  kind: 'text',
  text,
  align,
  bold,
  large: false,
});

/**
 * The page "test print" prints, and the settings screen previews: a column
 * ruler to check the paper width setting, Chinese text to check GB18030 and
 * Chinese mode, double-size text, and a QR code to check the printer's own
 * QR command.
 */
export function testPageLayout(
  printer: { name: string; columns: 32 | 48 },
  printedAt: string,
): ReceiptLayout {
  const ruler = Array.from({ length: printer.columns }, (_, i) => String((i + 1) % 10)).join('');
  const rows: ReceiptRow[] = [
    { kind: 'text', text: 'Tillpoint', align: 'center', bold: true, large: true },
    row('打印测试 / Test page', 'center', true),
    row('-'.repeat(printer.columns)),
    row(`Printer: ${printer.name}`),
    row(`Columns: ${printer.columns}`),
    row(`Time: ${printedAt}`),
    row(ruler),
    row('中文打印正常，金额￥12.50'),
    row('左对齐'),
    row('居中', 'center'),
    { kind: 'text', text: '右对齐', align: 'right', bold: false, large: false },
    row('-'.repeat(printer.columns)),
    { kind: 'qr', data: 'TILLPOINT-TEST' },
    row('TILLPOINT-TEST', 'center'),
    { kind: 'feed', lines: 3 },
    { kind: 'cut' },
  ];
  return { columns: printer.columns, rows };
}
