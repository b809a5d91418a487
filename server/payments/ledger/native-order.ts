import type { Fen } from '../../../core/money';
import type { NativePaymentRequest, PaymentView } from '../../../core/protocol';
import { appendAudit } from '../../audit/chain';
import type { TerminalActor } from '../../auth/actors';
import type { Storage, WriteTx } from '../../db/storage';
import { HttpError } from '../../http/errors';
import { OutTradeNo } from '../ids';
import type { PaymentProvider } from '../provider';
import { checkPendingTender, creatingPayment } from './new-payment';
import { auditPaymentApproval, paymentRequestHash, type PaymentApproval } from './payment-approval';
import { movePayment, paymentRow, paymentView, type PaymentRow } from './rows';

/** How long the customer has to scan and pay the QR code. */
export const NATIVE_ORDER_MS = 5 * 60_000;

/**
 * The Native order of a sale's pending `wechat_native` tender. The payment row is written
 * 'creating' first (with its out_trade_no and expiry), the provider is called outside any write,
 * then the code_url is stored 'pending'. A repeat of the paymentId answers what is stored; one
 * still 'creating' (an answer lost, a crash) places the same order again — same out_trade_no,
 * amount and expiry, which WeChat answers with the same code_url — never another one.
 */
export async function createNativePayment(
  storage: Storage,
  provider: PaymentProvider,
  actor: TerminalActor,
  req: NativePaymentRequest,
  address: string,
  now: string,
  approval: PaymentApproval | null = null,
): Promise<PaymentView> {
  const requestHash = paymentRequestHash(req);
  const row = await storage.write((w) => claimPayment(w, actor, req, requestHash, approval, now));
  if (row.state !== 'creating') return paymentView(row);

  const created = await provider.createNative({
    outTradeNo: OutTradeNo.parse(row.out_trade_no),
    description: `Tillpoint ${row.store_id}`,
    amount: Number(row.amount_fen) as Fen,
    expiresAt: new Date(row.expires_at ?? now),
    payerClientIp: address,
    storeId: row.store_id,
    deviceId: row.terminal_id.slice(0, 32),
  });
  if (!created.ok && created.kind === 'unknown')
    throw new HttpError(
      503,
      'UNAVAILABLE',
      `WeChat Pay did not answer (${created.code}); send the same request again — it places the same order, never a second one.`,
    );
  const done = await storage.write(async (w) => {
    if (created.ok)
      await movePayment(w, row, ['creating'], 'pending', { code_url: created.codeUrl }, now);
    else
      await movePayment(w, row, ['creating'], 'failed', {}, now, {
        providerCode: created.code,
      });
    return paymentRow(w, row.terminal_id, row.id);
  });
  if (!created.ok)
    throw new HttpError(
      502,
      'UNAVAILABLE',
      `WeChat Pay refused the order (${created.code}: ${created.message}); take another tender or a new payment.`,
    );
  if (done === undefined) throw new Error(`payment ${row.id} vanished`);
  return paymentView(done);
}

/** The stored payment of this paymentId, or a new 'creating' one once the sale's tender checks out. */
async function claimPayment(
  w: WriteTx,
  actor: TerminalActor,
  req: NativePaymentRequest,
  requestHash: string,
  approval: PaymentApproval | null,
  now: string,
): Promise<PaymentRow> {
  const prior = await paymentRow(w, actor.terminalId, req.paymentId);
  if (prior !== undefined) {
    if (prior.request_hash !== requestHash)
      throw new HttpError(
        409,
        'IDEMPOTENCY_KEY_REUSED',
        `Payment ${req.paymentId} was already requested by this terminal for another sale or amount; a new payment needs a new paymentId.`,
      );
    return prior;
  }
  await checkPendingTender(w, actor, req, 'native');
  const row = creatingPayment(
    actor,
    req,
    'native',
    new Date(Date.parse(now) + NATIVE_ORDER_MS).toISOString(),
    requestHash,
    now,
    { lease_owner: null, lease_until: null },
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
        method: 'native',
        amountFen: req.amountFen,
        outTradeNo: row.out_trade_no,
        saleId: req.saleId,
      },
    },
    now,
  );
  return row;
}
