import type { PaymentView } from '../../../core/protocol';
import type { TerminalActor } from '../../auth/actors';
import type { Storage } from '../../db/storage';
import { OutTradeNo } from '../ids';
import type { PaymentProvider, Transaction } from '../provider';
import { settleConfirmed, UNSETTLED } from './confirm';
import { movePayment, paymentOr404, paymentRow, paymentView, type PaymentRow } from './rows';

/** A pending payment is queried at most this often while its till polls. */
export const QUERY_AFTER_MS = 10_000;

/**
 * The payment as its till polls it. One still pending for a while (or whose notification came but
 * whose query failed) is queried: a query and a stored notification settle it; a query that says
 * the order closed closes it; a query alone never makes it paid.
 */
export async function paymentStatus(
  storage: Storage,
  provider: PaymentProvider | null,
  actor: TerminalActor,
  id: string,
  now: string,
): Promise<PaymentView> {
  const row = await paymentOr404(storage.db, actor.terminalId, id);
  if (provider === null || !dueForQuery(row, now)) return paymentView(row);
  const queried = await provider.query(OutTradeNo.parse(row.out_trade_no));
  if (!queried.ok) return paymentView(row);
  const t = queried.transaction;
  const after = await storage.write(async (w) => {
    if (row.notified !== null && t.state === 'paid')
      await settleConfirmed(w, row, JSON.parse(row.notified) as Transaction, t, now);
    else if (t.state === 'closed')
      await movePayment(
        w,
        row,
        UNSETTLED,
        'closed',
        { queried_state: t.state, queried_at: now },
        now,
      );
    else
      await w.trx
        .updateTable('payments')
        .set({ queried_state: t.state, queried_at: now })
        .where('terminal_id', '=', row.terminal_id)
        .where('id', '=', row.id)
        .execute();
    return paymentRow(w, row.terminal_id, row.id);
  });
  return paymentView(after ?? row);
}

function dueForQuery(row: PaymentRow, now: string): boolean {
  if (row.state !== 'pending') return false;
  const nowMs = Date.parse(now);
  const last = row.queried_at ?? row.created_at;
  return row.notified !== null || nowMs - Date.parse(last) >= QUERY_AFTER_MS;
}
