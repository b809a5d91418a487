import type { ReceiptAlign, ReceiptRow } from './rows';
import { spread, textWidth, truncateText, wrapText } from './width';

export interface RowStyle {
  readonly bold?: boolean;
  readonly large?: boolean;
}

/** One text row, already fitted to the paper by the caller. */
export function textRow(
  value: string,
  align: ReceiptAlign = 'left',
  style: RowStyle = {},
): ReceiptRow {
  return {
    kind: 'text',
    text: value,
    align,
    bold: style.bold ?? false,
    large: style.large ?? false,
  };
}

/** A dashed line across the paper. */
export function ruleRow(columns: number): ReceiptRow {
  return textRow('-'.repeat(columns));
}

/**
 * A label and its value on one row, the value flush right, when both fit; otherwise the label cut
 * to the width on a row of its own and the value wrapped, flush right, below it. With
 * `shortValueStays`, a value of at most half the width stays on the label's row (spread cuts the
 * label to make room) and only a long one (a sale id on 58 mm paper) goes whole on its own rows.
 */
export function pairRows(
  left: string,
  right: string,
  columns: number,
  style: { readonly bold?: boolean } = {},
  how: { readonly shortValueStays?: boolean } = {},
): ReceiptRow[] {
  const fits =
    textWidth(left) + 1 + textWidth(right) <= columns ||
    (how.shortValueStays === true && textWidth(right) <= columns / 2);
  if (fits) return [textRow(spread(left, right, columns), 'left', style)];
  return [
    textRow(truncateText(left, columns), 'left', style),
    ...wrapText(right, columns).map((piece) => textRow(piece, 'right', style)),
  ];
}
