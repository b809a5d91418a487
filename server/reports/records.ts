import type { BatchId, StoreId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { RedemptionRecord, ReportRecord, TenderKind } from '../../core/reports/aggregates';

/**
 * Ledger facts as the report aggregates see them (core/reports/aggregates.ts ReportRecord),
 * built in one place for the incremental counting and the rebuild (rebuild.ts), so both
 * count the same thing:
 * - a redemption counts when it took its code (the customer got the discount), at the
 *   instant it counts for, in the redeeming store, with the claim time the code had;
 * - a sale counts once it is paid (cash at once, WeChat when its last tender is confirmed),
 *   with its tenders and the vouchers applied to it; a refund does not take it back out;
 * - a redemption given back by a full refund (payments/ledger/refund-vouchers.ts) is taken back
 *   out of the batch rows it was counted in, as redemptionRecord counted it (reports/returns.ts);
 * - a refund counts under each tender its money went back through, once that money is back (a
 *   part succeeded), on the refund's own day (reports/refunds.ts); a part closed or abnormal
 *   counts nothing, and a refund of no money (a sale paid wholly by vouchers) no tender.
 */
export function redemptionRecord(
  batchId: BatchId,
  storeId: string,
  at: string,
  claimedAt: string | null,
  discountFen: Fen,
): RedemptionRecord {
  return {
    kind: 'redemption',
    batchId,
    storeId: storeId as StoreId,
    atMs: Date.parse(at),
    claimedAtMs: claimedAt === null ? null : Date.parse(claimedAt),
    discountFen,
  };
}

export interface PaidSale {
  readonly storeId: string;
  readonly at: string;
  readonly subtotalFen: number;
  readonly tenders: readonly { readonly kind: string; readonly amountFen: number }[];
  readonly vouchers: readonly {
    readonly batchId: string;
    readonly discountFen: number;
    readonly returned?: boolean;
  }[];
}

const TENDERS: ReadonlySet<string> = new Set<TenderKind>(['cash', 'wechat_native', 'wechat_code']);

export function saleRecord(sale: PaidSale): ReportRecord {
  return {
    kind: 'sale',
    storeId: sale.storeId as StoreId,
    atMs: Date.parse(sale.at),
    subtotalFen: sale.subtotalFen as Fen,
    tenders: sale.tenders.map((t) => {
      if (!TENDERS.has(t.kind)) throw new Error(`unknown tender kind ${t.kind}`);
      return { kind: t.kind as Exclude<TenderKind, 'voucher'>, amountFen: t.amountFen as Fen };
    }),
    vouchers: sale.vouchers.map((v) => ({
      batchId: v.batchId as BatchId,
      discountFen: v.discountFen as Fen,
      ...(v.returned === true && { returned: true }),
    })),
  };
}

/**
 * Money a refund paid back through one tender, dated when the refund was made (the cashier's
 * refund and its receipt: a WeChat part that settles after midnight is still that day's refund).
 * `furtherPart`: more of a refund already counted under this tender.
 */
export function refundRecord(
  storeId: string,
  at: string,
  tender: string,
  amountFen: Fen,
  furtherPart: boolean,
): ReportRecord {
  if (!TENDERS.has(tender)) throw new Error(`unknown tender kind ${tender}`);
  return {
    kind: 'refund',
    storeId: storeId as StoreId,
    atMs: Date.parse(at),
    tender: tender as Exclude<TenderKind, 'voucher'>,
    amountFen,
    ...(furtherPart && { furtherPart: true }),
  };
}
