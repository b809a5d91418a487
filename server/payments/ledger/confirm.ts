import { appendAudit } from '../../audit/chain';
import type { WriteTx } from '../../db/storage';
import { countPaidSale } from '../../reports/paid-sale';
import type { Transaction } from '../provider';
import { endPendingTender, movePayment, paymentRow, type PaymentRow } from './rows';

/** States a payment still waits for its confirmations in. */
export const UNSETTLED = ['creating', 'pending'] as const;

/**
 * Why the notification and the order query do not confirm the same payment of this row, or null
 * when they do (DESIGN.md "confirmed twice"): both paid, for the row's out_trade_no and amount,
 * with the same transaction. The provider has already checked each one's mchid and appid.
 */
export function disagreement(
  row: PaymentRow,
  notified: Transaction,
  queried: Transaction,
): string | null {
  const amount = Number(row.amount_fen);
  for (const [source, t] of [
    ['notification', notified],
    ['order query', queried],
  ] as const) {
    if (t.state !== 'paid') return `the ${source} says the order is ${t.state}`;
    if (t.outTradeNo !== row.out_trade_no)
      return `the ${source} is for out_trade_no ${t.outTradeNo}, not ${row.out_trade_no}`;
    if (t.total !== amount)
      return `the ${source} says ${t.total ?? 'no'} fen, the payment is ${amount} fen`;
  }
  if (notified.transactionId !== queried.transactionId)
    return 'the notification and the order query name different transactions';
  return null;
}

/**
 * Settles a payment waiting for confirmation with both of them, in the caller's transaction:
 * paid when they agree (its tender paid, and its sale paid once every tender is), else held for a
 * manager as 'unknown'. Nothing happens to a payment that is settled already.
 */
export async function settleConfirmed(
  w: WriteTx,
  row: PaymentRow,
  notified: Transaction,
  queried: Transaction,
  now: string,
): Promise<void> {
  const current = await paymentRow(w, row.terminal_id, row.id);
  if (current === undefined || !(UNSETTLED as readonly string[]).includes(current.state)) return;
  const problem = disagreement(current, notified, queried);
  const confirmations = { queried_state: queried.state, queried_at: now };
  if (problem !== null) {
    await movePayment(
      w,
      current,
      UNSETTLED,
      'unknown',
      { ...confirmations, held: 1, hold_reason: problem },
      now,
      { held: true, reason: problem },
    );
    return;
  }
  const paid = await movePayment(
    w,
    current,
    UNSETTLED,
    'paid',
    {
      ...confirmations,
      transaction_id: queried.transactionId ?? null,
      payer: JSON.stringify({
        openid: queried.payerOpenid,
        payerTotalFen: queried.payerTotal,
        bankType: queried.bankType,
      }),
      promotion: JSON.stringify(queried.vouchers),
      paid_at: queried.successTime ?? now,
    },
    now,
    { transactionId: queried.transactionId, vouchers: queried.vouchers.length },
  );
  if (paid) await payTender(w, current, now);
}

/** The payment's tender is paid; the sale is paid once none of its tenders waits any more. */
async function payTender(w: WriteTx, row: PaymentRow, now: string): Promise<void> {
  await endPendingTender(w, row, 'paid');
  const waiting = await w.trx
    .selectFrom('sale_tenders')
    .select('seq')
    .where('terminal_id', '=', row.terminal_id)
    .where('sale_id', '=', row.sale_id)
    .where('state', 'not in', ['settled', 'paid'])
    .executeTakeFirst();
  if (waiting !== undefined) return;
  const moved = await w.trx
    .updateTable('sales')
    .set({ state: 'paid' })
    .where('terminal_id', '=', row.terminal_id)
    .where('id', '=', row.sale_id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return;
  await countPaidSale(w, row.terminal_id, row.sale_id);
  await appendAudit(
    w,
    {
      actor: `terminal:${row.terminal_id}`,
      terminalId: row.terminal_id,
      storeId: row.store_id,
      action: 'sale.paid',
      subject: `sale:${row.sale_id}`,
      before: { state: 'open' },
      after: { state: 'paid', paymentId: row.id },
    },
    now,
  );
}
