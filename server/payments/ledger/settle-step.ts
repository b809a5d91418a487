import type { Fen } from '../../../core/money';
import type { PaymentReason } from '../../../core/protocol';
import type { Storage } from '../../db/storage';
import type { CodePaymentTiming } from '../code-payment';
import { newOutRefundNo, OutRefundNo, OutTradeNo } from '../ids';
import type { PaymentProvider, Transaction } from '../provider';
import { CODE_UNSETTLED, settleConfirmed, UNSETTLED, type Sources } from './confirm';
import { endPendingTender, movePayment, type PaymentRow } from './rows';

/** States a payment is followed in until it is final (held ones wait for a manager instead). */
export const FOLLOWED = [
  'creating',
  'pending',
  'user_paying',
  'unknown',
  'reversing',
  'refunding',
] as const;

export interface StepDeps {
  readonly storage: Storage;
  readonly provider: PaymentProvider;
  readonly now: () => string;
  readonly timing: CodePaymentTiming;
  /** How long to wait before asking again about something WeChat did not settle yet. */
  readonly retryMs: number;
  /** Until the next sweep: how long an unpaid Native order waits between queries. */
  readonly sweepMs: number;
}

/** What a step wants: to look again in `ms`, or nothing more (the payment is final or held). */
export type Next = number | null;

/**
 * One look at a payment WeChat has not settled for us yet: query it and move it on as far as
 * what WeChat says allows. The caller holds the payment's lease (reconcile.ts), so one server
 * instance does this at a time; every move is also conditional on the state it starts from.
 *
 * Paid needs two verified answers of WeChat that agree (DESIGN.md "confirmed twice",
 * confirm.ts): the notification, when it came, and an order query; when it was lost — and for
 * payment codes, which have no notification — an order query confirmed by a second one.
 */
export async function settleStep(deps: StepDeps, row: PaymentRow): Promise<Next> {
  if (row.held === 1) return null;
  // Both methods once given up on: a payment code past its deadline, or either kind whose sale
  // was replaced (sales/replace.ts).
  if (row.state === 'reversing') return reversing(deps, row);
  if (row.state === 'refunding') return refunding(deps, row);
  if (row.method === 'code')
    return (CODE_UNSETTLED as readonly string[]).includes(row.state)
      ? codeWaiting(deps, row)
      : null;
  if ((UNSETTLED as readonly string[]).includes(row.state)) return native(deps, row);
  return null;
}

/** A payment code waiting for the customer (or for an answer): poll until the deadline. */
async function codeWaiting(deps: StepDeps, row: PaymentRow): Promise<Next> {
  const { timing } = deps;
  const beforeDeadline = Date.parse(deps.now()) < Date.parse(row.expires_at ?? row.created_at);
  const q = await deps.provider.query(OutTradeNo.parse(row.out_trade_no));
  if (q.ok) {
    const t = q.transaction;
    if (t.state === 'paid' || t.state === 'refunded')
      return confirmByQuery(deps, row, t, CODE_UNSETTLED, ['order query', 'second order query']);
    if (t.state === 'closed' || t.state === 'reversed')
      return end(deps, row, CODE_UNSETTLED, 'reversed', row.reason ?? 'TIMEOUT');
    // PAYERROR: WeChat says 支付失败，请撤销订单.
    if (t.state === 'failed') return giveUp(deps, row, 'PAYERROR');
    if (beforeDeadline) {
      // WeChat has the order and the customer is at it (a crash or a lost answer hid that).
      if (row.state !== 'user_paying' && t.state === 'user_paying')
        await deps.storage.write((w) =>
          movePayment(w, row, CODE_UNSETTLED, 'user_paying', { reason: 'USERPAYING' }, deps.now()),
        );
      return timing.pollIntervalMs;
    }
    return giveUp(deps, row, 'TIMEOUT');
  }
  // Unknown, or not visible yet: keep asking until the deadline, then take it back.
  return beforeDeadline ? timing.pollIntervalMs : giveUp(deps, row, 'TIMEOUT');
}

/**
 * We stop waiting for the customer: the tender fails (the till takes another one) and the order
 * is reversed. Money that lands after this is refunded, never kept.
 */
async function giveUp(deps: StepDeps, row: PaymentRow, reason: PaymentReason): Promise<Next> {
  await deps.storage.write(async (w) => {
    if (await movePayment(w, row, CODE_UNSETTLED, 'reversing', { reason }, deps.now()))
      await endPendingTender(w, row, 'failed');
  });
  return 0;
}

/**
 * Takes the order back — reverses (撤销) a payment code, closes a Native order — again while it
 * fails; first asks whether it was paid meanwhile (then it is refunded). WeChat refuses to close
 * a Native order that is paid (ORDERPAID): the next look's query finds it paid.
 */
async function reversing(deps: StepDeps, row: PaymentRow): Promise<Next> {
  const takenBack = row.method === 'code' ? 'reversed' : 'closed';
  const no = OutTradeNo.parse(row.out_trade_no);
  const q = await deps.provider.query(no);
  if (q.ok && (q.transaction.state === 'paid' || q.transaction.state === 'refunded')) {
    // Paid after we gave up: refund it, with one out_refund_no kept for every retry.
    await deps.storage.write((w) =>
      movePayment(
        w,
        row,
        ['reversing'],
        'refunding',
        {
          reason: 'PAID_LATE',
          out_refund_no: row.out_refund_no ?? newOutRefundNo(),
          transaction_id: q.transaction.transactionId ?? null,
          paid_at: q.transaction.successTime ?? deps.now(),
        },
        deps.now(),
        { transactionId: q.transaction.transactionId },
      ),
    );
    return 0;
  }
  if (q.ok && (q.transaction.state === 'closed' || q.transaction.state === 'reversed'))
    return end(deps, row, ['reversing'], takenBack, row.reason ?? 'TIMEOUT');
  const r = row.method === 'code' ? await deps.provider.reverse(no) : await deps.provider.close(no);
  // not_found: WeChat never saw the order, so there is nothing to take back.
  if (r.ok || r.kind === 'not_found')
    return end(deps, row, ['reversing'], takenBack, row.reason ?? 'TIMEOUT');
  return deps.timing.reverseIntervalMs;
}

/** The automatic refund of a payment that landed late, sent again (same number) until settled. */
async function refunding(deps: StepDeps, row: PaymentRow): Promise<Next> {
  if (row.out_refund_no === null)
    throw new Error(`payment ${row.id} is refunding without a number`);
  const amount = Number(row.amount_fen) as Fen;
  const r = await deps.provider.refund({
    outTradeNo: OutTradeNo.parse(row.out_trade_no),
    outRefundNo: OutRefundNo.parse(row.out_refund_no),
    refund: amount,
    total: amount,
    reason: 'Paid after the till gave up',
  });
  if (!r.ok && r.kind === 'unknown') return deps.retryMs;
  if (r.ok && r.refund.state === 'processing') return deps.retryMs;
  if (r.ok && r.refund.state === 'success')
    return end(deps, row, ['refunding'], 'refunded_late', 'PAID_LATE', {
      refundId: r.refund.refundId,
    });
  const problem = r.ok
    ? `the automatic refund ${row.out_refund_no} ended ${r.refund.state}`
    : `WeChat Pay refused the automatic refund ${row.out_refund_no} (${r.code})`;
  await deps.storage.write((w) =>
    movePayment(w, row, ['refunding'], 'refunding', { held: 1, hold_reason: problem }, deps.now(), {
      held: true,
      reason: problem,
    }),
  );
  return null;
}

/** A Native order: paid once confirmed twice, closed at WeChat and here once it expired unpaid. */
async function native(deps: StepDeps, row: PaymentRow): Promise<Next> {
  const no = OutTradeNo.parse(row.out_trade_no);
  const expiresMs = Date.parse(row.expires_at ?? row.created_at);
  const expired = Date.parse(deps.now()) >= expiresMs;
  const q = await deps.provider.query(no);
  if (q.ok && (q.transaction.state === 'paid' || q.transaction.state === 'refunded')) {
    if (row.notified === null)
      return confirmByQuery(deps, row, q.transaction, UNSETTLED, [
        'order query',
        'second order query',
      ]);
    const notified = JSON.parse(row.notified) as Transaction;
    await deps.storage.write((w) => settleConfirmed(w, row, notified, q.transaction, deps.now()));
    return null;
  }
  if (q.ok && q.transaction.state === 'closed')
    return end(deps, row, UNSETTLED, 'closed', 'EXPIRED', {}, { code_url: null });
  if (!q.ok && q.kind !== 'not_found') return deps.retryMs;
  // Not paid yet: asked again at the next sweep (a lost notification is found within one).
  if (!expired) return Math.min(deps.sweepMs, Math.max(0, expiresMs - Date.parse(deps.now())));
  const closed = await deps.provider.close(no);
  if (!closed.ok && closed.kind !== 'not_found') return deps.retryMs;
  return end(deps, row, UNSETTLED, 'closed', 'EXPIRED', {}, { code_url: null });
}

/** Paid on the first query's word only once a second query agrees with it. */
async function confirmByQuery(
  deps: StepDeps,
  row: PaymentRow,
  first: Transaction,
  from: readonly string[],
  sources: Sources,
): Promise<Next> {
  const second = await deps.provider.query(OutTradeNo.parse(row.out_trade_no));
  if (!second.ok) return deps.retryMs;
  await deps.storage.write((w) =>
    settleConfirmed(w, row, first, second.transaction, deps.now(), { from, sources }),
  );
  return null;
}

/** A final state that pays nothing: the tender (if still pending) fails. */
async function end(
  deps: StepDeps,
  row: PaymentRow,
  from: readonly string[],
  to: 'reversed' | 'closed' | 'refunded_late',
  reason: string,
  note: Record<string, unknown> = {},
  set: { readonly code_url?: null } = {},
): Promise<Next> {
  await deps.storage.write(async (w) => {
    if (await movePayment(w, row, from, to, { ...set, reason }, deps.now(), note))
      await endPendingTender(w, row, 'failed');
  });
  return null;
}
