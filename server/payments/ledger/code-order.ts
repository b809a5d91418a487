import type { Fen } from '../../../core/money';
import type { CodePaymentRequest, PaymentReason, PaymentView } from '../../../core/protocol';
import { appendAudit } from '../../audit/chain';
import type { TerminalActor } from '../../auth/actors';
import type { Storage, WriteTx } from '../../db/storage';
import { HttpError } from '../../http/errors';
import type { CodePaymentTiming } from '../code-payment';
import { OutTradeNo } from '../ids';
import type { PaymentProvider } from '../provider';
import type { PaymentFollower } from '../reconcile';
import { CODE_UNSETTLED, settleConfirmed } from './confirm';
import { checkPendingTender, creatingPayment } from './new-payment';
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
  await checkPendingTender(w, actor, req, 'code');
  const row = creatingPayment(
    actor,
    req,
    'code',
    new Date(Date.parse(now) + deps.timing.deadlineMs).toISOString(),
    requestHash,
    now,
    deps.follower.lease(now),
  );
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
