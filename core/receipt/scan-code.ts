import { code128Modules, code128Segments } from './code128';
import type { ReceiptRow } from './rows';

/**
 * Printable dots across 58 mm and 80 mm paper at 203 dpi (48 mm and 72 mm of
 * print head). The margins beyond them are the barcode's quiet zones.
 */
export const PRINTABLE_DOTS = { 32: 384, 48: 576 } as const;

/**
 * Dots per Code 128 module (ESC/POS GS w): 2 dots is 0.25 mm, the narrowest
 * bar a 203 dpi head prints and a laser scanner reads reliably; the encoder
 * sends exactly this value.
 */
export const CODE128_MODULE_DOTS = 2;

/** Bar height (ESC/POS GS h): 80 dots is 10 mm, tall enough to scan at a slant. */
export const CODE128_HEIGHT_DOTS = 80;

/**
 * A code for scanners to read back: Code 128 when it fits across the paper
 * (every counter scanner, 1D laser ones too, reads it), else a QR code of
 * the same data. At 2 dots a module that is about 14 set-B characters on
 * 58 mm and 23 on 80 mm, more when digits pair up in set C. Decided here, in
 * the layout, so the preview draws what the printer prints.
 */
export function scanCodeRow(data: string, columns: 32 | 48): ReceiptRow {
  const segments = code128Segments(data);
  if (
    segments !== null &&
    code128Modules(segments) * CODE128_MODULE_DOTS <= PRINTABLE_DOTS[columns]
  )
    return { kind: 'code128', data, segments };
  return { kind: 'qr', data };
}
