import type { Selectable } from 'kysely';
import type { ClientId, Instant } from '../../../core/ids';
import type { Fen } from '../../../core/money';
import { PaymentReason, type PaymentState, type PaymentView } from '../../../core/protocol';
import { appendAudit } from '../../audit/chain';
import type { Queryable } from '../../db/prepared';
import { kyselyOf } from '../../db/prepared';
import type { PaymentTable } from '../../db/schema';
import type { WriteTx } from '../../db/storage';
import { HttpError } from '../../http/errors';

export type PaymentRow = Selectable<PaymentTable>;

/** This terminal's payment, or undefined. */
export async function paymentRow(
  db: Queryable,
  terminalId: string,
  id: string,
): Promise<PaymentRow | undefined> {
  return kyselyOf(db)
    .selectFrom('payments')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** This terminal's payment, or a 404 that says what to do. */
export async function paymentOr404(
  db: Queryable,
  terminalId: string,
  id: string,
): Promise<PaymentRow> {
  const row = await paymentRow(db, terminalId, id);
  if (row === undefined)
    throw new HttpError(
      404,
      'NOT_FOUND',
      `This terminal has no payment ${id}; create it first with POST /v1/payments/native.`,
    );
  return row;
}

export function paymentView(row: PaymentRow): PaymentView {
  return {
    paymentId: row.id as ClientId,
    saleId: row.sale_id as ClientId,
    method: row.method === 'code' ? 'code' : 'native',
    state: row.state as PaymentState,
    amountFen: Number(row.amount_fen) as Fen,
    codeUrl: row.state === 'pending' ? row.code_url : null,
    expiresAt: row.expires_at as Instant | null,
    transactionId: row.state === 'paid' ? row.transaction_id : null,
    held: row.held === 1,
    reason: PaymentReason.safeParse(row.reason).data ?? null,
  };
}

/**
 * Moves a payment from one of `from` to `to` with `set`, and chains an audit entry of the change
 * (state, amount, our order number: never a merchant id or key). False when the payment was no
 * longer in `from` (another request moved it first): nothing is written then.
 */
export async function movePayment(
  w: WriteTx,
  row: PaymentRow,
  from: readonly string[],
  to: PaymentState,
  set: Partial<Omit<PaymentRow, 'terminal_id' | 'id' | 'state' | 'updated_at'>>,
  now: string,
  note: Record<string, unknown> = {},
): Promise<boolean> {
  const moved = await w.trx
    .updateTable('payments')
    .set({ ...set, state: to, updated_at: now })
    .where('terminal_id', '=', row.terminal_id)
    .where('id', '=', row.id)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return false;
  await appendAudit(
    w,
    {
      actor: `terminal:${row.terminal_id}`,
      terminalId: row.terminal_id,
      storeId: row.store_id,
      action: `payment.${to}`,
      subject: `payment:${row.id}`,
      before: { state: row.state },
      after: {
        state: to,
        amountFen: Number(row.amount_fen),
        outTradeNo: row.out_trade_no,
        saleId: row.sale_id,
        ...note,
      },
    },
    now,
  );
  return true;
}

/** The sale tender this payment pays, still pending, becomes paid or failed. */
export async function endPendingTender(
  w: WriteTx,
  row: PaymentRow,
  state: 'paid' | 'failed',
): Promise<void> {
  await w.trx
    .updateTable('sale_tenders')
    .set({ state })
    .where('terminal_id', '=', row.terminal_id)
    .where('sale_id', '=', row.sale_id)
    .where('payment_id', '=', row.id)
    .where('state', '=', 'pending')
    .execute();
}
