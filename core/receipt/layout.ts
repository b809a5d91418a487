import { formatFen, type Fen } from '../money';
import { receiptLabels } from './labels';
import type { Receipt } from './model';
import { substitutionLog } from './printable-text';
import type { ReceiptAlign, ReceiptLayout, ReceiptRow } from './rows';
import { pairRows, ruleRow, textRow } from './row-helpers';
import { scanCodeRow } from './scan-code';
import { spread, textWidth, truncateText, wrapText } from './width';

/** Receipts print money with the full-width ￥ (U+FFE5): GB18030 encodes ¥ (U+00A5) as 4 bytes. */
export const money = (amount: Fen): string => formatFen(amount, { symbol: '￥' });
const minus = (amount: Fen): string => `-${money(amount)}`;

/** "2026-11-22 13:05:07" on the store's wall clock. */
export function formatLocalTime(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** Shows only the last four characters of a voucher code: the receipt leaves the store. */
export function maskCode(code: string): string {
  return code.length <= 4 ? code : `${'*'.repeat(Math.min(code.length - 4, 6))}${code.slice(-4)}`;
}

/**
 * Lays a receipt out for 32 (58 mm) or 48 (80 mm) columns. Pure: the same
 * receipt and width always give the same rows, so a reprint looks like the
 * original (apart from its reprint mark). Every text from the sale is first
 * fitted to what a GBK printer prints, so widths are measured on the
 * characters that will really be on paper.
 */
export function layoutReceipt(receipt: Receipt, columns: 32 | 48): ReceiptLayout {
  const l = receiptLabels(receipt.locale);
  const { fit, substitutions } = substitutionLog();
  const rows: ReceiptRow[] = [];
  const rule = (): void => {
    rows.push(ruleRow(columns));
  };
  const pair = (left: string, right: string, style: { bold?: boolean } = {}): void => {
    rows.push(...pairRows(left, right, columns, style, { shortValueStays: true }));
  };
  const wrapped = (value: string, align: ReceiptAlign, style: { bold?: boolean } = {}): void => {
    for (const piece of wrapText(value, columns)) rows.push(textRow(piece, align, style));
  };

  for (const piece of wrapText(fit(receipt.store.name), columns / 2)) {
    rows.push(textRow(piece, 'center', { bold: true, large: true }));
  }
  if (receipt.store.address !== null) wrapped(fit(receipt.store.address), 'center');
  if (receipt.store.phone !== null) wrapped(fit(receipt.store.phone), 'center');
  if (receipt.reprintedAt !== null) {
    rows.push(textRow(l.reprint, 'center', { bold: true }));
    rows.push(textRow(formatLocalTime(receipt.reprintedAt, receipt.store.timeZone), 'center'));
  }
  if (receipt.pendingSync) rows.push(textRow(l.pendingSync, 'center', { bold: true }));
  rule();

  pair(`${l.store}:`, fit(receipt.store.id));
  pair(`${l.terminal}:`, fit(receipt.terminalName));
  pair(`${l.cashier}:`, fit(receipt.cashier));
  if (receipt.member !== undefined)
    pair(`${l.member}:`, `${receipt.member.phone} ${fit(receipt.member.tier)}`);
  pair(`${l.time}:`, formatLocalTime(receipt.at, receipt.store.timeZone));
  pair(`${l.sale}:`, receipt.saleId);
  rule();

  for (const line of receipt.lines) {
    const detail = `${line.quantity} x ${money(line.unitPriceFen)}`;
    const amount = money(line.amountFen);
    const name = fit(line.name);
    const oneRow = `${name}  ${detail}`;
    if (textWidth(oneRow) + 1 + textWidth(amount) <= columns) {
      pair(oneRow, amount);
    } else {
      wrapped(name, 'left');
      pair(`  ${detail}`, amount);
    }
  }
  rule();

  pair(l.subtotal, money(receipt.totals.subtotalFen));
  for (const v of receipt.vouchers) {
    const mark = v.pendingSync ? ` ${l.voucherPending}` : '';
    wrapped(`${l.voucher} ${fit(v.name)}${mark}`, 'left');
    pair(`  ${fit(maskCode(v.code))}`, minus(v.discountFen));
  }
  if (receipt.totals.discountFen > 0) pair(l.discount, minus(receipt.totals.discountFen));
  rows.push(
    textRow(spread(l.total, money(receipt.totals.totalFen), columns / 2), 'left', {
      bold: true,
      large: true,
    }),
  );
  for (const t of receipt.tenders) {
    pair(l.tender[t.kind], money(t.amountFen));
    if (t.reference !== null)
      rows.push(textRow(`  ${truncateText(fit(t.reference), columns - 2)}`));
  }
  if (receipt.changeFen > 0) pair(l.change, money(receipt.changeFen));
  rule();

  if (receipt.pendingSync) {
    wrapped(l.pendingSyncNote, 'center', { bold: true });
    rows.push({ kind: 'feed', lines: 1 });
  }
  rows.push(scanCodeRow(receipt.saleId, columns));
  wrapped(receipt.saleId, 'center');
  for (const line of receipt.footer) wrapped(fit(line), 'center');
  rows.push({ kind: 'feed', lines: 3 });
  rows.push({ kind: 'cut' });
  return { columns, rows, substitutions };
}
