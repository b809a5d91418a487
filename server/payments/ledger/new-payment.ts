import type { TerminalActor } from '../../auth/actors';
import type { WriteTx } from '../../db/storage';
import { HttpError } from '../../http/errors';
import { newOutTradeNo } from '../ids';
import type { PaymentRow } from './rows';

/** What a Native order and a payment-code charge both ask for. */
interface PaymentAsk {
  readonly saleId: string;
  readonly paymentId: string;
  readonly amountFen: number;
}

/** The tender kind each payment method pays, and its name in an error. */
const TENDER_OF = {
  native: { kind: 'wechat_native', name: 'WeChat Native' },
  code: { kind: 'wechat_code', name: 'WeChat payment-code' },
} as const;

/**
 * Checks that the sale recorded this payment's tender (its kind, for this amount) and that the
 * tender still waits for it; a payment is never placed for a tender the till did not record.
 */
export async function checkPendingTender(
  w: WriteTx,
  actor: TerminalActor,
  req: PaymentAsk,
  method: keyof typeof TENDER_OF,
): Promise<void> {
  const { kind, name } = TENDER_OF[method];
  const tender = await w.trx
    .selectFrom('sale_tenders')
    .select(['kind', 'amount_fen', 'state'])
    .where('terminal_id', '=', actor.terminalId)
    .where('sale_id', '=', req.saleId)
    .where('payment_id', '=', req.paymentId)
    .executeTakeFirst();
  if (tender === undefined || tender.kind !== kind)
    throw new HttpError(
      409,
      'CONFLICT',
      `Sale ${req.saleId} of this terminal has no ${name} tender with paymentId ${req.paymentId}; record the sale with that tender first.`,
    );
  if (tender.state !== 'pending')
    throw new HttpError(
      409,
      'CONFLICT',
      `The ${name} tender ${req.paymentId} of sale ${req.saleId} is ${tender.state}, not waiting for payment.`,
    );
  if (Number(tender.amount_fen) !== req.amountFen)
    throw new HttpError(
      409,
      'CONFLICT',
      `The payment asks for ${req.amountFen} fen but the sale's ${name} tender is ${Number(tender.amount_fen)} fen; ask for the tender's amount.`,
    );
}

/** A new payment in 'creating', with nothing from WeChat yet; `lease`: who follows it, if anyone. */
export function creatingPayment(
  actor: TerminalActor,
  req: PaymentAsk,
  method: keyof typeof TENDER_OF,
  expiresAt: string,
  requestHash: string,
  now: string,
  lease: Pick<PaymentRow, 'lease_owner' | 'lease_until'>,
): PaymentRow {
  return {
    terminal_id: actor.terminalId,
    id: req.paymentId,
    sale_id: req.saleId,
    store_id: actor.storeId,
    method,
    amount_fen: req.amountFen,
    out_trade_no: newOutTradeNo(),
    state: 'creating',
    held: 0,
    hold_reason: null,
    code_url: null,
    expires_at: expiresAt,
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
    ...lease,
  };
}
