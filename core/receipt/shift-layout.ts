import type { Fen } from '../money';
import { formatLocalTime, money } from './layout';
import type { ReceiptLayout, ReceiptRow } from './rows';
import { pairRows, ruleRow, textRow } from './row-helpers';
import { shiftLabels } from './shift-labels';
import type { PrintableReceipt, ShiftReceipt } from './shift-model';
import { layoutReceipt } from './layout';
import { layoutRefund } from './refund-layout';
import { substitutionLog } from './printable-text';
import { textWidth, wrapText } from './width';

/** A signed amount: "-￥1.00" short, "+￥1.00" over, "￥0.00" even. */
export function signedMoney(amount: number): string {
  if (amount === 0) return money(0 as Fen);
  return `${amount < 0 ? '-' : '+'}${money(Math.abs(amount) as Fen)}`;
}

/**
 * Lays the shift report out for 32 (58 mm) or 48 (80 mm) columns: who and when, the sales, each
 * tender, the vouchers per batch, refunds, voids, the drawer (float, cash in, change, refunds,
 * expected, counted, difference) and what the till still had to sync. Every figure is the
 * server's, as stored with the shift.
 */
export function layoutShiftReport(receipt: ShiftReceipt, columns: 32 | 48): ReceiptLayout {
  const l = shiftLabels(receipt.locale);
  const { report } = receipt;
  const f = report.figures;
  const tz = receipt.store.timeZone;
  const { fit, substitutions } = substitutionLog();
  const rows: ReceiptRow[] = [];
  const rule = (): void => {
    rows.push(ruleRow(columns));
  };
  const pair = (left: string, right: string, style: { bold?: boolean } = {}): void => {
    rows.push(...pairRows(left, right, columns, style));
  };
  const heading = (value: string): void => {
    rows.push(textRow(value, 'left', { bold: true }));
  };

  for (const piece of wrapText(fit(receipt.store.name), columns / 2))
    rows.push(textRow(piece, 'center', { bold: true, large: true }));
  rows.push(textRow(l.title, 'center', { bold: true, large: true }));
  if (report.state === 'open') rows.push(textRow(l.open, 'center', { bold: true }));
  rule();
  pair(`${l.store}:`, fit(receipt.store.id));
  pair(`${l.terminal}:`, fit(receipt.terminalName));
  pair(`${l.cashier}:`, fit(receipt.cashier));
  pair(`${l.openedAt}:`, formatLocalTime(report.openedAt, tz));
  if (report.closedAt !== null) pair(`${l.closedAt}:`, formatLocalTime(report.closedAt, tz));
  pair(`${l.printedAt}:`, formatLocalTime(receipt.printedAt, tz));
  pair(`${l.shift}:`, report.shiftId);
  rule();

  heading(l.sales);
  pair(`  ${l.salesCount}`, String(f.sales.count));
  pair(`  ${l.subtotal}`, money(f.sales.subtotalFen));
  pair(`  ${l.discount}`, `-${money(f.sales.discountFen)}`);
  pair(`  ${l.amount}`, money(f.sales.amountFen), { bold: true });
  heading(l.tenders);
  for (const t of f.tenders) pair(`  ${l.tender[t.kind]} x${t.count}`, money(t.amountFen));
  heading(l.vouchers);
  if (f.vouchers.length === 0) rows.push(textRow(`  ${l.noVouchers}`));
  for (const v of f.vouchers) {
    for (const piece of wrapText(`  ${fit(v.name ?? v.batchId)}`, columns))
      rows.push(textRow(piece));
    pair(`    x${v.count}`, `-${money(v.amountFen)}`);
  }
  heading(`${l.refunds} x${f.refunds.count}`);
  pair(`  ${l.refundsCash}`, money(f.refunds.cashFen));
  pair(`  ${l.refundsWechat}`, money(f.refunds.wechatFen));
  pair(`${l.voids} x${f.voids.count}`, money(f.voids.amountFen));
  if (f.unpaid.count > 0) pair(`${l.unpaid} x${f.unpaid.count}`, money(f.unpaid.amountFen));
  rule();

  heading(l.cash);
  pair(`  ${l.float}`, money(f.cash.floatFen));
  pair(`  ${l.tendered}`, `+${money(f.cash.tenderedFen)}`);
  pair(`  ${l.change}`, `-${money(f.cash.changeFen)}`);
  pair(`  ${l.refundsCash}`, `-${money(f.cash.refundsFen)}`);
  pair(`  ${l.expected}`, signedMoney(f.cash.expectedFen).replace(/^\+/, ''), { bold: true });
  if (f.cash.countedFen !== null) pair(`  ${l.counted}`, money(f.cash.countedFen), { bold: true });
  if (f.cash.differenceFen !== null)
    pair(`  ${l.difference}`, signedMoney(f.cash.differenceFen), { bold: true });

  const pending = report.pending;
  if (pending !== null && pending.sales + pending.redemptions > 0) {
    rule();
    heading(l.pending);
    pair(`  ${l.pendingSales}`, String(pending.sales));
    pair(`  ${l.pendingRedemptions}`, String(pending.redemptions));
    for (const piece of wrapText(l.pendingNote, columns)) rows.push(textRow(piece, 'center'));
  }
  rule();
  rows.push({ kind: 'feed', lines: 2 });
  rows.push(
    textRow(`${l.signature}: ${'_'.repeat(Math.max(4, columns - textWidth(l.signature) - 2))}`),
  );
  rows.push({ kind: 'feed', lines: 3 });
  rows.push({ kind: 'cut' });
  return { columns, rows, substitutions };
}

/** The rows of anything the receipt printer prints, by what it is. */
export function layoutPrintable(receipt: PrintableReceipt, columns: 32 | 48): ReceiptLayout {
  if (!('kind' in receipt)) return layoutReceipt(receipt, columns);
  return receipt.kind === 'refund'
    ? layoutRefund(receipt, columns)
    : layoutShiftReport(receipt, columns);
}
