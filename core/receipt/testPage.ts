import { substitutionLog } from './printable-text';
import type { ReceiptLayout, ReceiptRow } from './rows';
import { scanCodeRow } from './scan-code';
import { truncateText } from './width';

/** Fits Code 128 on 58 mm paper (14 characters), so the test page shows both barcode kinds. */
const TEST_CODE = 'TILLPOINT-TEST';

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
 * Chinese mode, double-size text, a Code 128 barcode and a QR code to check
 * the printer's own barcode commands.
 */
export function testPageLayout(
  printer: { name: string; columns: 32 | 48 },
  printedAt: string,
): ReceiptLayout {
  const { fit, substitutions } = substitutionLog();
  const ruler = Array.from({ length: printer.columns }, (_, i) => String((i + 1) % 10)).join('');
  const rows: ReceiptRow[] = [
    { kind: 'text', text: 'Tillpoint', align: 'center', bold: true, large: true },
    row('打印测试 / Test page', 'center', true),
    row('-'.repeat(printer.columns)),
    row(`Printer: ${truncateText(fit(printer.name), printer.columns - 9)}`),
    row(`Columns: ${printer.columns}`),
    row(`Time: ${printedAt}`),
    row(ruler),
    row('中文打印正常，金额￥12.50'),
    row('左对齐'),
    row('居中', 'center'),
    { kind: 'text', text: '右对齐', align: 'right', bold: false, large: false },
    row('-'.repeat(printer.columns)),
    scanCodeRow(TEST_CODE, printer.columns),
    row(TEST_CODE, 'center'),
    { kind: 'qr', data: TEST_CODE },
    row(TEST_CODE, 'center'),
    { kind: 'feed', lines: 3 },
    { kind: 'cut' },
  ];
  return { columns: printer.columns, rows, substitutions };
}
