/**
 * A receipt laid out for one paper width: the rows a printer prints, in
 * order. Text rows are already cut to width and padded so that columns line
 * up; the ESC/POS encoder and the on-screen preview only style them.
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
  /** A QR code of `data` (the sale id), centred. */
  | { readonly kind: 'qr'; readonly data: string }
  /** Blank paper. */
  | { readonly kind: 'feed'; readonly lines: number }
  /** Where the printer cuts, when it has a cutter. */
  | { readonly kind: 'cut' };

export interface ReceiptLayout {
  readonly columns: 32 | 48;
  readonly rows: readonly ReceiptRow[];
}
