import type { BatchId, ClientId, Instant, StoreId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { CodeState } from '../../core/protocol';
import type { Batch } from '../../core/vouchers';
import { appendAudit } from '../audit/chain';
import type { WriteTx } from '../db/storage';
import { appendChanges, type FeedEntry } from '../feed/changes';
import { countReturns, type ReturnedRow } from '../reports/returns';

/** Who gives a sale's vouchers back, and why, for the audit log and the redemption rows. */
export interface GiveBackCause {
  readonly actor: string;
  readonly terminalId: string;
  /** The full refund that gives them back; null for a sale that was voided. */
  readonly refundId: string | null;
  /** What the audit entry of each redemption adds (the refund, or the void). */
  readonly note: Readonly<Record<string, unknown>>;
  /**
   * Whether the sale was counted as a voucher sale of its batches (it was paid): its voucher sale
   * then comes out of the reports with its last voucher of a batch. A voided sale never was.
   */
  readonly saleCounted: boolean;
}

/**
 * The accepted redemptions linked to one sale of a terminal, oldest first, with what a give-back
 * needs; `only` keeps those whose batch passes (a refund gives back returnOnRefund batches only).
 */
export async function usedOnSale(
  w: WriteTx,
  saleTerminalId: string,
  saleId: string,
  only: (batch: Batch) => boolean = () => true,
) {
  const rows = await w.trx
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
  return rows.filter((r) => only(JSON.parse(r.doc) as Batch));
}

export type UsedRedemption = Awaited<ReturnType<typeof usedOnSale>>[number];

/**
 * Gives back redemptions of one sale: each becomes 'returned' (daily and per-customer limits count
 * accepted ones only), its code is issued again if it is still redeemed by that redemption (a code
 * voided since stays void), audited, and the code's new state goes on the change feed so every
 * till, offline too, accepts it again; the reports take it back out of 核销 (reports/returns.ts).
 * In the caller's transaction. Returns the codes given back.
 */
export async function giveBack(
  w: WriteTx,
  sale: { readonly terminalId: string; readonly id: string; readonly storeId: string },
  used: readonly UsedRedemption[],
  cause: GiveBackCause,
  now: string,
): Promise<VoucherCode[]> {
  const returned: VoucherCode[] = [];
  const changes: FeedEntry[] = [];
  const counted: ReturnedRow[] = [];
  for (const r of used) {
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
      .set({ status: 'returned', returned_at: now, returned_refund_id: cause.refundId })
      .where('terminal_id', '=', sale.terminalId)
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
        actor: cause.actor,
        terminalId: cause.terminalId,
        storeId: sale.storeId as StoreId,
        action: 'redemption.returned',
        subject: `code:${r.code}`,
        before: { redemptionId: r.id, state: 'redeemed' },
        after: {
          discountFen: Number(r.discount_fen),
          redemptionId: r.id,
          saleId: sale.id,
          state: 'issued',
          ...cause.note,
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
  await countReturns(w, sale.terminalId, sale.id, counted, { saleCounted: cause.saleCounted });
  return returned;
}
