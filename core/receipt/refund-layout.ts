import { formatLocalTime, maskCode, money } from './layout';
import type { Fen } from '../money';
import type { ReceiptLayout, ReceiptRow } from './rows';
import { pairRows, ruleRow, textRow } from './row-helpers';
import { refundLabels } from './refund-labels';
import type { RefundReceipt } from './refund-model';
import { substitutionLog } from './printable-text';
import { textWidth, wrapText } from './width';

/**
 * Lays a refund receipt out for 32 (58 mm) or 48 (80 mm) columns: who and when, the sale it
 * refunds (its id whole, and as a QR code: a UUID does not fit as Code 128 on 58 mm), the lines
 * given back, the total, each way the money goes back with its state when printed, and the
 * vouchers given back (masked) that the customer can use again.
 */
export function layoutRefund(receipt: RefundReceipt, columns: 32 | 48): ReceiptLayout {
  const l = refundLabels(receipt.locale);
  const tz = receipt.store.timeZone;
  const { fit, substitutions } = substitutionLog();
  const rows: ReceiptRow[] = [];
  const rule = (): void => {
    rows.push(ruleRow(columns));
  };
  const pair = (left: string, right: string, style: { bold?: boolean } = {}): void => {
    rows.push(...pairRows(left, right, columns, style));
  };

  for (const piece of wrapText(fit(receipt.store.name), columns / 2))
    rows.push(textRow(piece, 'center', { bold: true, large: true }));
  rows.push(textRow(l.title, 'center', { bold: true, large: true }));
  rule();
  pair(`${l.store}:`, fit(receipt.store.id));
  pair(`${l.terminal}:`, fit(receipt.terminalName));
  pair(`${l.cashier}:`, fit(receipt.cashier));
  pair(`${l.at}:`, formatLocalTime(receipt.at, tz));
  pair(`${l.approvedBy}:`, fit(receipt.approvedBy));
  pair(`${l.reason}:`, fit(receipt.reason));
  pair(`${l.sale}:`, receipt.saleId);
  pair(`${l.refund}:`, receipt.refundId);
  rule();

  if (receipt.lines.length > 0) {
    rows.push(textRow(l.lines, 'left', { bold: true }));
    for (const line of receipt.lines) {
      for (const piece of wrapText(fit(line.name), columns)) rows.push(textRow(piece));
      pair(`  x${line.quantity}`, given(line.amountFen));
    }
    rule();
  }
  pair(l.total, given(receipt.amountFen), { bold: true });
  for (const part of receipt.parts)
    pair(
      `  ${part.kind === 'wechat' ? l.toWechat : l.cash}`,
      `${money(part.amountFen)} ${l.state[part.state]}`,
    );
  if (receipt.parts.some((p) => p.kind === 'wechat'))
    for (const piece of wrapText(l.wechatNote, columns)) rows.push(textRow(piece, 'center'));
  rule();
  if (receipt.returnedVouchers.length > 0) {
    for (const piece of wrapText(l.vouchersReturned, columns))
      rows.push(textRow(piece, 'left', { bold: true }));
    for (const code of receipt.returnedVouchers) rows.push(textRow(`  ${fit(maskCode(code))}`));
    rule();
  }
  rows.push({ kind: 'qr', data: receipt.saleId });
  pair(`${l.printedAt}:`, formatLocalTime(receipt.printedAt, tz));
  rows.push({ kind: 'feed', lines: 2 });
  rows.push(
    textRow(`${l.signature}: ${'_'.repeat(Math.max(4, columns - textWidth(l.signature) - 2))}`),
  );
  rows.push({ kind: 'feed', lines: 3 });
  rows.push({ kind: 'cut' });
  return { columns, rows, substitutions };
}

/** Money given back, as a minus; nothing (a return the vouchers paid for) has no sign. */
const given = (amountFen: Fen): string =>
  amountFen > 0 ? `-${money(amountFen)}` : money(amountFen);
