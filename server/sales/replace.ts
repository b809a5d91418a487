import type { ClientId } from '../../core/ids';
import { wasPaid, type SaleFlag, type SaleRequest } from '../../core/protocol';
import { appendAudit } from '../audit/chain';
import type { TerminalActor } from '../auth/actors';
import type { WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { CODE_UNSETTLED, UNSETTLED } from '../payments/ledger/confirm';
import { endPendingTender, movePayment, type PaymentRow } from '../payments/ledger/rows';

/** A payment to close or reverse at WeChat once the write that voided its sale has committed. */
export interface TakeBack {
  readonly terminalId: string;
  readonly id: string;
}

export interface Replacement {
  /** Why the named sale was left as it is (REPLACEMENT_REFUSED), for the replacing sale. */
  readonly flags: SaleFlag[];
  readonly takeBack: TakeBack[];
  /** The open sale this write voided (its vouchers the replacing sale does not name go back). */
  readonly voided: ClientId | null;
}

type Problem = Extract<SaleFlag, { code: 'REPLACEMENT_REFUSED' }>['problem'];

const NOTHING: Replacement = { flags: [], takeBack: [], voided: null };

/**
 * The sale that replaced this terminal's sale `id` before `id` itself reached the server, if any:
 * a late push of `id` is then recorded voided, not as a live sale.
 */
export async function replacingSale(
  w: WriteTx,
  terminalId: string,
  id: string,
): Promise<string | undefined> {
  const row = await w.trx
    .selectFrom('sale_replacements')
    .select('replacing_id')
    .where('terminal_id', '=', terminalId)
    .where('replaced_id', '=', id)
    .executeTakeFirst();
  return row?.replacing_id;
}

/**
 * Voids the sale `req.replaces` names, in the write that records `req`: the cashier gave up on
 * its WeChat tender and took the order again another way. Only this terminal's own open sale is
 * voided; its unsettled WeChat payments move to 'reversing' (REPLACED) and their tenders fail, so
 * a confirmation that comes after this never pays it, and the follower closes (Native) or
 * reverses (payment code) each order at WeChat — one the customer paid meanwhile is refunded
 * (settle-step.ts, as money that lands after a give-up). A sale not recorded yet is remembered,
 * so its late push is recorded voided. Anything else changes nothing and is flagged.
 */
export async function replaceSale(
  w: WriteTx,
  actor: TerminalActor,
  req: SaleRequest,
  now: string,
): Promise<Replacement> {
  const replaced = req.replaces;
  if (replaced === undefined) return NOTHING;
  const refuse = (problem: Problem): Replacement => ({
    flags: [{ code: 'REPLACEMENT_REFUSED', saleId: replaced, problem }],
    takeBack: [],
    voided: null,
  });
  if (replaced === req.id) return refuse('self');
  if ((await replacingSale(w, actor.terminalId, replaced)) !== undefined) return refuse('voided');

  const sale = await w.trx
    .selectFrom('sales')
    .select('state')
    .where('terminal_id', '=', actor.terminalId)
    .where('id', '=', replaced)
    .executeTakeFirst();
  if (sale === undefined) {
    const elsewhere = await w.trx
      .selectFrom('sales')
      .select('terminal_id')
      .where('id', '=', replaced)
      .executeTakeFirst();
    if (elsewhere !== undefined) return refuse('other_terminal');
    await remember(w, actor, replaced, req.id, 'absent', now);
    return NOTHING;
  }
  if (sale.state === 'voided') return refuse('voided');
  // A sale that took money is refunded, never replaced.
  if (wasPaid(sale.state)) return refuse('paid');

  const payments = await w.trx
    .selectFrom('payments')
    .selectAll()
    .where('terminal_id', '=', actor.terminalId)
    .where('sale_id', '=', replaced)
    .execute();
  if (payments.some((p) => p.state === 'paid')) return refuse('paid');
  if (payments.some((p) => p.held === 1)) return refuse('held');

  const takeBack: TakeBack[] = [];
  for (const payment of payments) {
    const from = unsettled(payment);
    if (!from.includes(payment.state)) continue;
    const moved = await movePayment(
      w,
      payment,
      from,
      'reversing',
      { reason: 'REPLACED', code_url: null },
      now,
      { replacedBy: req.id },
    );
    if (!moved) throw changedMeanwhile(replaced);
    await endPendingTender(w, payment, 'failed');
    takeBack.push({ terminalId: payment.terminal_id, id: payment.id });
  }
  // A WeChat tender whose order was never placed waits for nothing now.
  await w.trx
    .updateTable('sale_tenders')
    .set({ state: 'failed' })
    .where('terminal_id', '=', actor.terminalId)
    .where('sale_id', '=', replaced)
    .where('state', '=', 'pending')
    .execute();
  const voided = await w.trx
    .updateTable('sales')
    .set({ state: 'voided' })
    .where('terminal_id', '=', actor.terminalId)
    .where('id', '=', replaced)
    .where('state', '=', 'open')
    .executeTakeFirst();
  if (Number(voided.numUpdatedRows) === 0) throw changedMeanwhile(replaced);
  await remember(w, actor, replaced, req.id, 'open', now, takeBack);
  return { flags: [], takeBack, voided: replaced };
}

/** The states this payment can still be taken back from (held ones are a manager's). */
function unsettled(payment: PaymentRow): readonly string[] {
  return payment.method === 'code' ? CODE_UNSETTLED : UNSETTLED;
}

/**
 * Another request moved the replaced sale or one of its payments after it was read (a
 * confirmation on another instance): this write is undone and the till sends it again, when the
 * sale is found as it now is.
 */
function changedMeanwhile(saleId: ClientId): HttpError {
  return new HttpError(
    503,
    'UNAVAILABLE',
    `Sale ${saleId} changed while the sale replacing it was recorded (a payment was being confirmed); send the same request again.`,
  );
}

async function remember(
  w: WriteTx,
  actor: TerminalActor,
  replaced: ClientId,
  replacing: ClientId,
  state: 'open' | 'absent',
  now: string,
  takeBack: readonly TakeBack[] = [],
): Promise<void> {
  await w.trx
    .insertInto('sale_replacements')
    .values({
      terminal_id: actor.terminalId,
      replaced_id: replaced,
      replacing_id: replacing,
      replaced_state: state,
      created_at: now,
    })
    .execute();
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: 'sale.voided',
      subject: `sale:${replaced}`,
      before: state === 'open' ? { state: 'open' } : null,
      after: {
        state: 'voided',
        replacedBy: replacing,
        recorded: state === 'open',
        payments: takeBack.map((p) => p.id),
      },
    },
    now,
  );
}
