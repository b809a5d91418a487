import type { BatchId, ClientId, Instant, StoreId, VoucherCode } from '../../../core/ids';
import type { Fen } from '../../../core/money';
import type { CodeState } from '../../../core/protocol';
import type { Batch } from '../../../core/vouchers';
import { appendAudit } from '../../audit/chain';
import type { WriteTx } from '../../db/storage';
import { appendChanges, type FeedEntry } from '../../feed/changes';
import { countReturns, type ReturnedRow } from '../../reports/returns';

/**
 * Gives back the vouchers of a sale refunded in full, for batches that say so
 * (Batch.returnOnRefund). Called in the transaction that settles a refund part: the cash parts
 * when the refund is stored, a WeChat part when WeChat's SUCCESS arrives (answer, query or
 * notification).
 *
 * "Refunded in full": the sale is refunded (its refund parts that are not closed cover every paid
 * tender) and every one of those parts has succeeded — the money is back with the customer. A
 * partial refund, or a WeChat part still processing or ended ABNORMAL, keeps the voucher used: the
 * customer kept goods or money the voucher paid for. A part that succeeds later completes the sale
 * then, and the vouchers are returned then.
 *
 * Each redemption of the sale in such a batch becomes 'returned' (daily and per-customer limits
 * count accepted ones only), its code is issued again if it is still redeemed by that redemption
 * (a code voided since stays void), audited, and the code's new state goes on the change feed so
 * every till, offline too, accepts it again; the reports take it back out of 核销
 * (reports/returns.ts). Returns the codes given back.
 */
export async function returnRefundedVouchers(
  w: WriteTx,
  saleTerminalId: string,
  saleId: string,
  refund: { readonly terminalId: string; readonly id: string },
  now: string,
): Promise<VoucherCode[]> {
  // Two parts settling at once (PostgreSQL) each wait here for the other: the second sees both.
  let lock = w.trx
    .selectFrom('sales')
    .select(['state', 'store_id'])
    .where('terminal_id', '=', saleTerminalId)
    .where('id', '=', saleId);
  if (w.dialect === 'postgres') lock = lock.forUpdate();
  const sale = await lock.executeTakeFirst();
  if (sale?.state !== 'refunded') return [];
  const unsettled = await w.trx
    .selectFrom('refund_parts')
    .select('state')
    .where('sale_terminal_id', '=', saleTerminalId)
    .where('sale_id', '=', saleId)
    .where('state', 'not in', ['closed', 'succeeded'])
    .executeTakeFirst();
  if (unsettled !== undefined) return [];
  const used = await w.trx
    .selectFrom('redemptions')
    .innerJoin('batches', 'batches.id', 'redemptions.batch_id')
    .innerJoin('codes', 'codes.code', 'redemptions.code')
    .select([
      'redemptions.id',
      'redemptions.code',
      'redemptions.batch_id',
      'redemptions.at',
      'redemptions.store_id',
      'redemptions.discount_fen',
      'batches.doc',
      'codes.claimed_at',
    ])
    .where('redemptions.terminal_id', '=', saleTerminalId)
    .where('redemptions.sale_id', '=', saleId)
    .where('redemptions.status', '=', 'accepted')
    .orderBy('redemptions.id')
    .execute();
  const returned: VoucherCode[] = [];
  const changes: FeedEntry[] = [];
  const counted: ReturnedRow[] = [];
  for (const r of used) {
    const batch = JSON.parse(r.doc) as Batch;
    if (batch.returnOnRefund !== true) continue;
    const freed = await w.trx
      .updateTable('codes')
      .set({
        state: 'issued',
        redeemed_at: null,
        redeemed_store_id: null,
        redeemed_terminal_id: null,
        redemption_id: null,
      })
      .where('code', '=', r.code)
      .where('state', '=', 'redeemed')
      .where('redemption_id', '=', r.id)
      .executeTakeFirst();
    if (Number(freed.numUpdatedRows) === 0) continue;
    await w.trx
      .updateTable('redemptions')
      .set({ status: 'returned', returned_at: now, returned_refund_id: refund.id })
      .where('terminal_id', '=', saleTerminalId)
      .where('id', '=', r.id)
      .execute();
    const code: CodeState = {
      code: r.code as VoucherCode,
      batchId: r.batch_id as BatchId,
      state: 'issued',
      claimedAt: r.claimed_at,
      redeemed: null,
      returned: { redemptionId: r.id as ClientId, at: now as Instant },
    };
    changes.push({ change: { type: 'code', code }, batchId: r.batch_id });
    await appendAudit(
      w,
      {
        actor: `terminal:${refund.terminalId}`,
        terminalId: refund.terminalId,
        storeId: sale.store_id as StoreId,
        action: 'redemption.returned',
        subject: `code:${r.code}`,
        before: { redemptionId: r.id, state: 'redeemed' },
        after: {
          discountFen: Number(r.discount_fen),
          redemptionId: r.id,
          refundId: refund.id,
          saleId,
          state: 'issued',
        },
      },
      now,
    );
    returned.push(r.code as VoucherCode);
    counted.push({
      batchId: r.batch_id as BatchId,
      storeId: r.store_id,
      at: r.at,
      claimedAt: r.claimed_at,
      discountFen: Number(r.discount_fen) as Fen,
    });
  }
  await appendChanges(w, changes, now);
  await countReturns(w, saleTerminalId, saleId, counted);
  return returned;
}
