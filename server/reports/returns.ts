import type { BatchId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { ReturnedRedemption } from '../../core/reports/aggregates';
import type { WriteTx } from '../db/storage';
import { uncountForReports } from './count';
import { redemptionRecord } from './records';

/** A redemption a full refund or a void just gave back, as its row has it. */
export interface ReturnedRow {
  readonly batchId: BatchId;
  readonly storeId: string;
  readonly at: string;
  /** The code's claim time (a return leaves it as it was when the redemption was counted). */
  readonly claimedAt: string | null;
  readonly discountFen: Fen;
}

/**
 * Takes the redemptions a full refund gave back out of the report aggregates, in the refund's
 * transaction (the aggregates are kept with the records they count). Each comes out of the rows
 * it went into, as redemptionRecord counted it: its own store, its own store-local day and hour,
 * and the cycle bucket from its code's claim date to that day — not the refund's day — so a
 * day's 核销 and cycle figures read as if the voucher had not been used, and a rebuild from the
 * ledger (which no longer sees the redemption: its code points at none) gives the same rows. The
 * sale's voucher sale of a batch comes out on the sale's own day once no voucher of that batch
 * is left used on the sale (a code voided since is not given back, and keeps it counted). A sale
 * that was never paid (voided: `saleCounted` false) was never a voucher sale: only its
 * redemptions come out.
 */
export async function countReturns(
  w: WriteTx,
  saleTerminalId: string,
  saleId: string,
  returned: readonly ReturnedRow[],
  how: { readonly saleCounted: boolean } = { saleCounted: true },
): Promise<void> {
  if (returned.length === 0) return;
  const sale = await w.trx
    .selectFrom('sales')
    .innerJoin('stores', 'stores.id', 'sales.store_id')
    .select(['sales.at', 'sales.subtotal_fen', 'stores.time_zone'])
    .where('sales.terminal_id', '=', saleTerminalId)
    .where('sales.id', '=', saleId)
    .executeTakeFirstOrThrow();
  const stillUsed = new Set(
    (
      await w.trx
        .selectFrom('redemptions')
        .select('batch_id')
        .where('terminal_id', '=', saleTerminalId)
        .where('sale_id', '=', saleId)
        .where('status', '=', 'accepted')
        .execute()
    ).map((r) => r.batch_id),
  );
  const lastOfBatch = new Map(returned.map((r, i) => [r.batchId, i]));
  const voucherSale = {
    atMs: Date.parse(sale.at),
    subtotalFen: Number(sale.subtotal_fen) as Fen,
  };
  const taken = returned.map((r, i): ReturnedRedemption => ({
    redemption: redemptionRecord(r.batchId, r.storeId, r.at, r.claimedAt, r.discountFen),
    voucherSale:
      how.saleCounted && lastOfBatch.get(r.batchId) === i && !stillUsed.has(r.batchId)
        ? voucherSale
        : null,
  }));
  uncountForReports(w, taken, sale.time_zone);
}
