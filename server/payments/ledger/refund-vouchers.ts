import type { VoucherCode } from '../../../core/ids';
import type { WriteTx } from '../../db/storage';
import { giveBack, usedOnSale } from '../../ledger/give-back';

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
 * Each redemption of the sale in such a batch is given back (ledger/give-back.ts: its code usable
 * again on every till, out of 核销). Returns the codes given back.
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
  const used = await usedOnSale(w, saleTerminalId, saleId, (b) => b.returnOnRefund === true);
  return giveBack(
    w,
    { terminalId: saleTerminalId, id: saleId, storeId: sale.store_id },
    used,
    {
      actor: `terminal:${refund.terminalId}`,
      terminalId: refund.terminalId,
      refundId: refund.id,
      note: { refundId: refund.id },
      saleCounted: true,
    },
    now,
  );
}
