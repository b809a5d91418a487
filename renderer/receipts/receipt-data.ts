import type { BatchId } from '../../core/ids';
import type { TillpointDb } from '../data/db';
import type { ReceiptRecord, RedemptionRecord, RedemptionState } from '../data/records';

/** A stored sale with what its receipt needs from the rest of the database. */
export interface SaleReceiptData {
  readonly sale: ReceiptRecord;
  /** Batch names by voucher code. */
  readonly voucherNames: ReadonlyMap<string, string>;
  /** Where each of its redemptions stands now, by redemption id. */
  readonly redemptionStates: ReadonlyMap<string, RedemptionState>;
}

/** Batch names of the vouchers these redemptions used, by code. */
export async function voucherNamesOf(
  db: TillpointDb,
  records: readonly RedemptionRecord[],
): Promise<Map<string, string>> {
  const batchIds = [...new Set(records.flatMap((r) => (r.batchId === null ? [] : [r.batchId])))];
  const batches = await db.batches.bulkGet(batchIds);
  const names = new Map<BatchId, string>();
  for (const b of batches) if (b) names.set(b.id, b.name);
  const byCode = new Map<string, string>();
  for (const r of records) {
    const name = r.batchId === null ? undefined : names.get(r.batchId);
    if (name !== undefined) byCode.set(r.code, name);
  }
  return byCode;
}

/** Loads one sale's receipt data; null when the sale was not stored (or was pruned). */
export async function loadSaleReceipt(
  db: TillpointDb,
  saleId: string,
): Promise<SaleReceiptData | null> {
  const sale = await db.receipts.get(saleId);
  if (!sale) return null;
  const records = (await db.redemptions.bulkGet(sale.vouchers.map((v) => v.redemptionId))).filter(
    (r): r is RedemptionRecord => r !== undefined,
  );
  return {
    sale,
    voucherNames: await voucherNamesOf(db, records),
    redemptionStates: new Map(records.map((r) => [r.id as string, r.state])),
  };
}

/** What a reprint of one queue item shows: its sale, or (no stored sale) the voucher alone. */
export type ReprintData =
  | { readonly kind: 'sale'; readonly data: SaleReceiptData }
  | { readonly kind: 'slip'; readonly voucherNames: ReadonlyMap<string, string> };

export async function loadReprint(db: TillpointDb, record: RedemptionRecord): Promise<ReprintData> {
  const data = record.saleId === null ? null : await loadSaleReceipt(db, record.saleId);
  return data === null
    ? { kind: 'slip', voucherNames: await voucherNamesOf(db, [record]) }
    : { kind: 'sale', data };
}
