import { appendAudit } from '../../audit/chain';
import type { WriteTx } from '../../db/storage';
import { countPaidSale } from '../../reports/paid-sale';
import type { Transaction } from '../provider';
import { endPendingTender, movePayment, paymentRow, type PaymentRow } from './rows';

/** States a Native payment still waits for its confirmations in. */
export const UNSETTLED = ['creating', 'pending'] as const;

/** States a payment-code payment waits for WeChat's answer in (unknown: when not held). */
export const CODE_UNSETTLED = ['creating', 'user_paying', 'unknown'] as const;

/** What the two confirmations were, for the hold reason. */
export type Sources = readonly [first: string, second: string];
const NOTIFIED_AND_QUERIED: Sources = ['notification', 'order query'];

/**
 * Why the two confirmations do not confirm the same payment of this row, or null when they do
 * (DESIGN.md "confirmed twice"): both paid, for the row's out_trade_no and amount, with the same
 * transaction. The provider has already checked each one's mchid and appid. The first is the
 * notification, or — when it was lost, and for payment codes, which have none — an earlier
 * verified answer of WeChat (the codepay answer or an order query); the second an order query.
 */
export function disagreement(
  row: PaymentRow,
  notified: Transaction,
  queried: Transaction,
  sources: Sources = NOTIFIED_AND_QUERIED,
): string | null {
  const amount = Number(row.amount_fen);
  for (const [source, t] of [
    [sources[0], notified],
    [sources[1], queried],
  ] as const) {
    if (t.state !== 'paid') return `the ${source} says the order is ${t.state}`;
    if (t.outTradeNo !== row.out_trade_no)
      return `the ${source} is for out_trade_no ${t.outTradeNo}, not ${row.out_trade_no}`;
    if (t.total !== amount)
      return `the ${source} says ${t.total ?? 'no'} fen, the payment is ${amount} fen`;
  }
  if (notified.transactionId !== queried.transactionId)
    return `the ${sources[0]} and the ${sources[1]} name different transactions`;
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
  how: { readonly from?: readonly string[]; readonly sources?: Sources } = {},
): Promise<void> {
  const from = how.from ?? UNSETTLED;
  const current = await paymentRow(w, row.terminal_id, row.id);
  if (current === undefined || !from.includes(current.state) || current.held === 1) return;
  const problem = disagreement(current, notified, queried, how.sources);
  const confirmations = { queried_state: queried.state, queried_at: now };
  if (problem !== null) {
    await movePayment(
      w,
      current,
      from,
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
    from,
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
      reason: null,
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
