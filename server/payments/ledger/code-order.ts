import type { Fen } from '../../../core/money';
import type { CodePaymentRequest, PaymentReason, PaymentView } from '../../../core/protocol';
import { appendAudit } from '../../audit/chain';
import type { TerminalActor } from '../../auth/actors';
import type { Storage, WriteTx } from '../../db/storage';
import { HttpError } from '../../http/errors';
import type { CodePaymentTiming } from '../code-payment';
import { newOutTradeNo, OutTradeNo } from '../ids';
import type { PaymentProvider } from '../provider';
import type { PaymentFollower } from '../reconcile';
import { CODE_UNSETTLED, settleConfirmed } from './confirm';
import { auditPaymentApproval, paymentRequestHash, type PaymentApproval } from './payment-approval';
import { endPendingTender, movePayment, paymentRow, paymentView, type PaymentRow } from './rows';

/** WeChat's refusal codes of 付款码支付 in our words; any other refusal is DECLINED. */
const REFUSALS: Readonly<Record<string, PaymentReason>> = {
  NOTENOUGH: 'NOTENOUGH',
  AUTHCODEEXPIRE: 'AUTHCODE_EXPIRED',
  AUTH_CODE_INVALID: 'AUTHCODE_INVALID',
  AUTH_CODE_ERROR: 'AUTHCODE_INVALID',
  PAYERROR: 'PAYERROR',
};

export interface CodeOrderDeps {
  readonly storage: Storage;
  readonly provider: PaymentProvider;
  readonly follower: PaymentFollower;
  readonly timing: CodePaymentTiming;
}

/**
 * Charges the customer's payment code for a sale's pending `wechat_code` tender. The row is
 * written 'creating' (with this instance's lease and the deadline) before WeChat is called,
 * outside any write; the answer is stored and given at once: paid (confirmed by an order query
 * too), declined with the reason, user_paying, or unknown (no answer: queried, never failed).
 * The last two are then followed in the background (reconcile.ts): polled, reversed at the
 * deadline. The same paymentId and body again answer the stored payment; another body is refused.
 * Above the approval limit the route passes the manager's approval (paymentApproval), audited in
 * the write that stores the payment.
 */
export async function createCodePayment(
  deps: CodeOrderDeps,
  actor: TerminalActor,
  req: CodePaymentRequest,
  now: () => string,
  approval: PaymentApproval | null = null,
): Promise<PaymentView> {
  const requestHash = paymentRequestHash(req);
  const { row, fresh } = await deps.storage.write((w) =>
    claimCodePayment(w, deps, actor, req, requestHash, approval, now()),
  );
  // A repeat answers what is stored: one charge per paymentId, however often it is sent.
  if (!fresh) return paymentView(row);

  const paid = await deps.provider.payByCode({
    outTradeNo: OutTradeNo.parse(row.out_trade_no),
    description: `Tillpoint ${row.store_id}`,
    amount: Number(row.amount_fen) as Fen,
    authCode: req.authCode,
    deviceId: row.terminal_id.slice(0, 32),
    storeId: row.store_id,
  });
  if (paid.ok && paid.status === 'paid') {
    const queried = await deps.provider.query(OutTradeNo.parse(row.out_trade_no));
    if (queried.ok) {
      const done = await deps.storage.write(async (w) => {
        await settleConfirmed(w, row, paid.transaction, queried.transaction, now(), {
          from: CODE_UNSETTLED,
          sources: ['codepay answer', 'order query'],
        });
        await w.trx
          .updateTable('payments')
          .set({ lease_owner: null, lease_until: now() })
          .where('terminal_id', '=', row.terminal_id)
          .where('id', '=', row.id)
          .execute();
        return paymentRow(w, row.terminal_id, row.id);
      });
      return paymentView(done ?? row);
    }
  }
  const refused = !paid.ok && paid.kind !== 'unknown' && paid.code !== 'ORDERPAID';
  const after = await deps.storage.write(async (w) => {
    if (refused) {
      if (
        await movePayment(
          w,
          row,
          ['creating'],
          'declined',
          { reason: REFUSALS[paid.code] ?? 'DECLINED', lease_owner: null, lease_until: now() },
          now(),
          { providerCode: paid.code },
        )
      )
        await endPendingTender(w, row, 'failed');
    } else if (paid.ok && paid.status === 'user_paying')
      await movePayment(w, row, ['creating'], 'user_paying', { reason: 'USERPAYING' }, now());
    else
      // No answer we can trust (or paid with the confirming query lost): query, never "failed".
      await movePayment(w, row, ['creating'], 'unknown', { reason: 'NO_ANSWER' }, now(), {
        providerCode: paid.ok ? 'SUCCESS' : paid.code,
      });
    return paymentRow(w, row.terminal_id, row.id);
  });
  if (!refused) deps.follower.follow(row.terminal_id, row.id);
  return paymentView(after ?? row);
}

/** The stored payment of this paymentId, or a new 'creating' one once the sale's tender checks out. */
async function claimCodePayment(
  w: WriteTx,
  deps: CodeOrderDeps,
  actor: TerminalActor,
  req: CodePaymentRequest,
  requestHash: string,
  approval: PaymentApproval | null,
  now: string,
): Promise<{ row: PaymentRow; fresh: boolean }> {
  const prior = await paymentRow(w, actor.terminalId, req.paymentId);
  if (prior !== undefined) {
    if (prior.request_hash !== requestHash)
      throw new HttpError(
        409,
        'IDEMPOTENCY_KEY_REUSED',
        `Payment ${req.paymentId} was already requested by this terminal with another sale, amount or payment code; a new payment needs a new paymentId.`,
      );
    return { row: prior, fresh: false };
  }
  const tender = await w.trx
    .selectFrom('sale_tenders')
    .select(['kind', 'amount_fen', 'state'])
    .where('terminal_id', '=', actor.terminalId)
    .where('sale_id', '=', req.saleId)
    .where('payment_id', '=', req.paymentId)
    .executeTakeFirst();
  if (tender === undefined || tender.kind !== 'wechat_code')
    throw new HttpError(
      409,
      'CONFLICT',
      `Sale ${req.saleId} of this terminal has no WeChat payment-code tender with paymentId ${req.paymentId}; record the sale with that tender first.`,
    );
  if (tender.state !== 'pending')
    throw new HttpError(
      409,
      'CONFLICT',
      `The WeChat payment-code tender ${req.paymentId} of sale ${req.saleId} is ${tender.state}, not waiting for payment.`,
    );
  if (Number(tender.amount_fen) !== req.amountFen)
    throw new HttpError(
      409,
      'CONFLICT',
      `The payment asks for ${req.amountFen} fen but the sale's WeChat payment-code tender is ${Number(tender.amount_fen)} fen; ask for the tender's amount.`,
    );
  const row: PaymentRow = {
    terminal_id: actor.terminalId,
    id: req.paymentId,
    sale_id: req.saleId,
    store_id: actor.storeId,
    method: 'code',
    amount_fen: req.amountFen,
    out_trade_no: newOutTradeNo(),
    state: 'creating',
    held: 0,
    hold_reason: null,
    code_url: null,
    // Until when we wait for the customer; then the order is reversed.
    expires_at: new Date(Date.parse(now) + deps.timing.deadlineMs).toISOString(),
    transaction_id: null,
    payer: null,
    promotion: null,
    notified: null,
    notified_at: null,
    queried_state: null,
    queried_at: null,
    paid_at: null,
    request_hash: requestHash,
    created_at: now,
    updated_at: now,
    reason: null,
    out_refund_no: null,
    ...deps.follower.lease(now),
  };
  await w.trx.insertInto('payments').values(row).execute();
  await auditPaymentApproval(w, approval, actor, req, now);
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: 'payment.creating',
      subject: `payment:${req.paymentId}`,
      before: null,
      after: {
        state: 'creating',
        method: 'code',
        amountFen: req.amountFen,
        outTradeNo: row.out_trade_no,
        saleId: req.saleId,
      },
    },
    now,
  );
  return { row, fresh: true };
}
