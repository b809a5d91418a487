import type { Code128Segment } from './code128';
import type { TextSubstitution } from './printable-text';

/**
 * A receipt laid out for one paper width: the rows a printer prints, in
 * order. Text rows are already fitted to the printer's GBK font, cut to
 * width and padded so that columns line up; the ESC/POS encoder and the
 * on-screen preview only style them.
 */
export type ReceiptAlign = 'left' | 'center' | 'right';

export type ReceiptRow =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly align: ReceiptAlign;
      readonly bold: boolean;
      /** Double width and height: the row holds at most half the columns. */
      readonly large: boolean;
    }
  /** A QR code of `data`, centred. */
  | { readonly kind: 'qr'; readonly data: string }
  /** A Code 128 barcode of `data`, centred, known to fit the paper (see scanCodeRow). */
  | {
      readonly kind: 'code128';
      readonly data: string;
      readonly segments: readonly Code128Segment[];
    }
  /** Blank paper. */
  | { readonly kind: 'feed'; readonly lines: number }
  /** Where the printer cuts, when it has a cutter. */
  | { readonly kind: 'cut' };

export interface ReceiptLayout {
  readonly columns: 32 | 48;
  readonly rows: readonly ReceiptRow[];
  /** Characters of the receipt's data the printer cannot print, and what the rows print instead. */
  readonly substitutions: readonly TextSubstitution[];
}
