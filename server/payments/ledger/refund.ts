import { hash } from 'node:crypto';
import type { Fen } from '../../../core/money';
import type { RefundPartState, RefundRequest, RefundView } from '../../../core/protocol';
import { canonicalJson } from '../../audit/canonical';
import { appendAudit } from '../../audit/chain';
import type { TerminalActor } from '../../auth/actors';
import { auditApproval, checkApproval, type Approver } from '../../auth/approval';
import type { AppContext } from '../../context';
import type { Storage, WriteTx } from '../../db/storage';
import { HttpError } from '../../http/errors';
import { countRefundedParts } from '../../reports/refunds';
import { refundAmount } from './refund-lines';
import { returnRefundedVouchers } from './refund-vouchers';
import { newOutRefundNo, OutRefundNo, OutTradeNo } from '../ids';
import type { PaymentProvider, Refund, RefundResult } from '../provider';
import {
  movePart,
  partsOf,
  refundableTenders,
  refundRow,
  refundView,
  saleOfStore,
  syncSaleState,
  type RefundPartRow,
  type RefundRow,
} from './refund-rows';

/** A refund request compared by everything but the approval (a retry needs none). */
export function refundRequestHash(req: RefundRequest): string {
  return hash('sha256', canonicalJson({ ...req, approval: undefined }), 'base64url');
}

/**
 * 原路退款 of a sale. A new refund needs a manager's approval (checked before anything is written)
 * and at most what the sale has left to refund; it is stored with its parts — WeChat tenders first,
 * each WeChat part with its out_refund_no made here, once — and the cash parts are given back at
 * once. A return from a sale paid wholly by vouchers is a refund of no money and no part: it
 * records the lines returned and is done at once (refund-lines.ts refundAmount). WeChat is then
 * called outside any write. A repeat of the refundId (an answer lost, WeChat
 * not answering) calls WeChat again for the parts it has not answered, with the same
 * out_refund_no: WeChat answers the refund already made, so there is one refund however often it
 * is sent.
 */
export async function createRefund(
  ctx: AppContext,
  provider: PaymentProvider | null,
  limitFen: number,
  actor: TerminalActor,
  req: RefundRequest,
  address: string,
  now: string,
): Promise<RefundView> {
  const requestHash = refundRequestHash(req);
  const prior = await refundRow(ctx.storage.db, actor.terminalId, req.refundId);
  if (prior !== undefined) {
    sameRequest(prior, requestHash);
    return sendParts(ctx, provider, prior, now);
  }
  const sale = await saleOfStore(ctx.storage.db, actor.storeId, req.saleId);
  if (sale === undefined)
    throw new HttpError(
      404,
      'NOT_FOUND',
      `Store ${actor.storeId} has no sale ${req.saleId}; check the receipt (a sale made offline is refunded once it has synced).`,
    );
  refundableState(sale.state, req.saleId);
  // Counted (and the lines checked) before the manager is asked; again under the sale's lock.
  const amountFen = await refundAmount(ctx.storage.db, sale.terminal_id, req);
  const approver = await checkApproval(
    ctx,
    actor,
    req.approval,
    `A refund of ${amountFen} fen`,
    address,
    now,
  );
  const row = await ctx.storage.write((w) =>
    claimRefund(w, actor, req, sale.terminal_id, approver, requestHash, limitFen, now),
  );
  return sendParts(ctx, provider, row, now);
}

function sameRequest(prior: RefundRow, requestHash: string): void {
  if (prior.request_hash !== requestHash)
    throw new HttpError(
      409,
      'IDEMPOTENCY_KEY_REUSED',
      `Refund ${prior.id} was already requested by this terminal for another sale, amount or reason; a new refund needs a new refundId.`,
    );
}

function refundableState(state: string, saleId: string): void {
  if (state === 'refunded')
    throw new HttpError(
      409,
      'REFUND_EXCEEDS_REFUNDABLE',
      `Sale ${saleId} is refunded in full already; nothing is left to refund.`,
    );
  if (state !== 'paid' && state !== 'partly_refunded')
    throw new HttpError(
      409,
      'CONFLICT',
      `Sale ${saleId} is ${state}: only a paid sale can be refunded (an open one is closed or paid first).`,
    );
}

/** Stores the refund and its parts once the amount checks out, with the approval audited. */
async function claimRefund(
  w: WriteTx,
  actor: TerminalActor,
  req: RefundRequest,
  saleTerminalId: string,
  approver: Approver,
  requestHash: string,
  limitFen: number,
  now: string,
): Promise<RefundRow> {
  const again = await refundRow(w, actor.terminalId, req.refundId);
  if (again !== undefined) {
    sameRequest(again, requestHash);
    return again;
  }
  // Two refunds of one sale at once must not both take what is left (PostgreSQL: lock the sale).
  let lock = w.trx
    .selectFrom('sales')
    .select('state')
    .where('terminal_id', '=', saleTerminalId)
    .where('id', '=', req.saleId);
  if (w.dialect === 'postgres') lock = lock.forUpdate();
  const sale = await lock.executeTakeFirst();
  refundableState(sale?.state ?? 'missing', req.saleId);
  const amountFen = await refundAmount(w, saleTerminalId, req);
  const tenders = await refundableTenders(w, saleTerminalId, req.saleId);
  const left = tenders.reduce((s, t) => s + Math.max(0, t.leftFen), 0);
  if (amountFen > left)
    throw new HttpError(
      409,
      'REFUND_EXCEEDS_REFUNDABLE',
      `Sale ${req.saleId} has ${left} fen left to refund; a refund of ${amountFen} fen is more than that. Nothing was refunded.`,
    );
  const row: RefundRow = {
    terminal_id: actor.terminalId,
    id: req.refundId,
    sale_terminal_id: saleTerminalId,
    sale_id: req.saleId,
    store_id: actor.storeId,
    amount_fen: amountFen,
    reason: req.reason,
    lines: req.lines === undefined ? null : JSON.stringify(req.lines),
    approved_by: approver.userId,
    requested_by: actor.cashierId,
    request_hash: requestHash,
    created_at: now,
  };
  await w.trx.insertInto('refunds').values(row).execute();
  const parts: RefundPartRow[] = [];
  let rest: number = amountFen;
  for (const t of tenders) {
    if (rest === 0) break;
    const amount = Math.min(rest, t.leftFen);
    if (amount <= 0) continue;
    rest -= amount;
    const payment =
      t.kind === 'wechat' && t.paymentId !== null
        ? await w.trx
            .selectFrom('payments')
            .select(['out_trade_no', 'amount_fen'])
            .where('terminal_id', '=', saleTerminalId)
            .where('id', '=', t.paymentId)
            .executeTakeFirst()
        : undefined;
    parts.push({
      terminal_id: actor.terminalId,
      refund_id: req.refundId,
      seq: parts.length,
      sale_terminal_id: saleTerminalId,
      sale_id: req.saleId,
      store_id: actor.storeId,
      kind: t.kind,
      tender_seq: t.seq,
      payment_id: t.paymentId,
      out_trade_no: payment?.out_trade_no ?? null,
      out_refund_no: t.kind === 'wechat' ? newOutRefundNo() : null,
      amount_fen: amount,
      total_fen: payment === undefined ? null : Number(payment.amount_fen),
      // Cash goes back from the drawer now; WeChat's part waits for WeChat.
      state: t.kind === 'cash' ? 'succeeded' : 'requested',
      wechat_refund_id: null,
      provider_code: null,
      queried_at: null,
      settled_at: t.kind === 'cash' ? now : null,
      updated_at: now,
    });
  }
  // A return from a sale paid wholly by vouchers gives no money back: it has no part.
  if (parts.length > 0) await w.trx.insertInto('refund_parts').values(parts).execute();
  await auditApproval(
    w,
    approver,
    actor,
    `refund:${req.refundId}`,
    {
      saleId: req.saleId,
      amountFen,
      ...(amountFen > limitFen && { limitFen }),
    },
    now,
  );
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: 'refund.requested',
      subject: `refund:${req.refundId}`,
      before: null,
      after: {
        saleId: req.saleId,
        amountFen,
        reason: req.reason,
        ...(req.lines !== undefined && { lines: req.lines }),
        approvedBy: approver.userId,
        parts: parts.map((p) => ({
          kind: p.kind,
          amountFen: p.amount_fen,
          outRefundNo: p.out_refund_no,
        })),
      },
    },
    now,
  );
  await syncSaleState(w, saleTerminalId, req.saleId, now);
  // Cash is given back at once (counted as it is), and a return of no money is done at once:
  // either can complete the sale's refund here.
  const settled = parts.filter((p) => p.state === 'succeeded');
  await countRefundedParts(w, settled);
  if (settled.length > 0 || parts.length === 0)
    await returnRefundedVouchers(
      w,
      saleTerminalId,
      req.saleId,
      { terminalId: actor.terminalId, id: req.refundId },
      now,
    );
  return row;
}

/**
 * Sends every WeChat part WeChat has not answered yet (same out_refund_no each time) and stores
 * the answers. A part WeChat did not answer stays requested: 503, send the same request again.
 */
export async function sendParts(
  ctx: AppContext,
  provider: PaymentProvider | null,
  row: RefundRow,
  now: string,
): Promise<RefundView> {
  let unanswered = false;
  for (const part of await partsOf(ctx.storage.db, row)) {
    if (part.state !== 'requested' || part.out_refund_no === null) continue;
    if (provider === null || !(await sendPart(ctx.storage, provider, part, row.reason, now)))
      unanswered = true;
  }
  if (unanswered)
    throw new HttpError(
      503,
      'UNAVAILABLE',
      `WeChat Pay did not answer refund ${row.id}; send the same request again — it is sent with the same refund number, so the customer is refunded once.`,
    );
  return refundView(ctx.storage.db, row);
}

/**
 * Sends one requested WeChat part (its stored out_refund_no, amount and total: WeChat answers a
 * repeat with the refund already made) and stores the answer. False when WeChat did not answer.
 * The till's retry (sendParts) and the reconciliation sweep (refund-sweep.ts) both send this way.
 */
export async function sendPart(
  storage: Storage,
  provider: PaymentProvider,
  part: RefundPartRow,
  reason: string,
  now: string,
): Promise<boolean> {
  const result = await provider.refund({
    outTradeNo: OutTradeNo.parse(part.out_trade_no),
    outRefundNo: OutRefundNo.parse(part.out_refund_no),
    refund: Number(part.amount_fen) as Fen,
    total: Number(part.total_fen) as Fen,
    reason,
  });
  await storage.write((w) => applyRefundResult(w, part, result, now));
  return result.ok || result.kind !== 'unknown';
}

/** What a refund answer (or query) means for a part; an unknown outcome changes nothing. */
export async function applyRefundResult(
  w: WriteTx,
  part: RefundPartRow,
  result: RefundResult,
  now: string,
): Promise<void> {
  if (result.ok) {
    await applyRefund(w, part, result.refund, now);
    return;
  }
  if (result.kind === 'unknown') return;
  // Refused (or WeChat does not know the order): nothing was refunded, the amount is free again.
  await movePart(
    w,
    part,
    ['requested', 'processing'],
    'closed',
    { provider_code: result.code },
    now,
    {
      providerCode: result.code,
    },
  );
}

const STATE_OF: Record<Refund['state'], RefundPartState> = {
  processing: 'processing',
  success: 'succeeded',
  closed: 'closed',
  abnormal: 'abnormal',
};

/**
 * WeChat's refund (answer, query or notification) for this part: it must be this part's refund
 * number and amount (else nothing changes and false is returned); its state moves the part
 * forward, never back.
 */
export async function applyRefund(
  w: WriteTx,
  part: RefundPartRow,
  refund: Refund,
  now: string,
): Promise<boolean> {
  if (refund.outRefundNo !== part.out_refund_no || refund.refund !== Number(part.amount_fen))
    return false;
  const to = STATE_OF[refund.state];
  const from: RefundPartState[] =
    to === 'processing'
      ? ['requested']
      : to === 'abnormal'
        ? ['requested', 'processing']
        : ['requested', 'processing', 'abnormal'];
  const set = {
    wechat_refund_id: refund.refundId,
    queried_at: now,
    ...(to === 'succeeded' && { settled_at: refund.successTime ?? now }),
  };
  if (!(await movePart(w, part, from, to, set, now, { refundId: refund.refundId })))
    await w.trx
      .updateTable('refund_parts')
      .set({ queried_at: now })
      .where('terminal_id', '=', part.terminal_id)
      .where('refund_id', '=', part.refund_id)
      .where('seq', '=', part.seq)
      .execute();
  return true;
}
