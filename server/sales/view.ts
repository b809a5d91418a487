import type { ClientId, Instant, LineId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { SaleState, SaleView, WechatPromotion } from '../../core/protocol';
import type { Queryable } from '../db/prepared';
import { kyselyOf } from '../db/prepared';
import { HttpError } from '../http/errors';
import type { PaymentVoucher } from '../payments/provider';
import { refundableTenders, saleOfStore } from '../payments/ledger/refund-rows';
import { linesLeft } from '../payments/ledger/refund-lines';
import { netLineAmounts } from '../../core/sales';

/**
 * A sale of the terminal's store as it stands: its state (paid, partly or fully refunded), what
 * is left to refund, and per WeChat tender the vouchers WeChat applied (promotion_detail, stored
 * from the confirmed order query).
 */
export async function saleView(db: Queryable, storeId: string, saleId: string): Promise<SaleView> {
  const sale = await saleOfStore(db, storeId, saleId);
  if (sale === undefined)
    throw new HttpError(404, 'NOT_FOUND', `Store ${storeId} has no sale ${saleId} (yet).`);
  const q = kyselyOf(db);
  const full = await q
    .selectFrom('sales')
    .select(['at', 'subtotal_fen', 'discount_fen', 'due_fen', 'paid_fen', 'change_fen'])
    .where('terminal_id', '=', sale.terminal_id)
    .where('id', '=', saleId)
    .executeTakeFirstOrThrow();
  const tenders = await q
    .selectFrom('sale_tenders')
    .select(['seq', 'kind', 'amount_fen', 'payment_id', 'state'])
    .where('terminal_id', '=', sale.terminal_id)
    .where('sale_id', '=', saleId)
    .orderBy('seq')
    .execute();
  const paymentIds = tenders.flatMap((t) => (t.payment_id === null ? [] : [t.payment_id]));
  const payments =
    paymentIds.length === 0
      ? []
      : await q
          .selectFrom('payments')
          .select(['id', 'promotion'])
          .where('terminal_id', '=', sale.terminal_id)
          .where('id', 'in', paymentIds)
          .execute();
  const promotionOf = new Map(payments.map((p) => [p.id, p.promotion]));
  const refundable = await refundableTenders(db, sale.terminal_id, saleId);
  const paid = refundable.reduce((s, t) => s + t.amountFen, 0);
  const left = refundable.reduce((s, t) => s + Math.max(0, t.leftFen), 0);
  const { lines, discountFen } = await linesLeft(db, sale.terminal_id, saleId);
  const net = netLineAmounts(lines, discountFen);
  return {
    saleId: saleId as ClientId,
    state: sale.state as SaleState,
    at: full.at as Instant,
    lines: lines.map((l, i) => ({
      lineId: l.lineId as LineId,
      sku: l.sku,
      name: l.name,
      unitPriceFen: l.unitPriceFen,
      quantity: l.quantity,
      netFen: net[i] ?? (0 as Fen),
      refundedQuantity: Math.min(l.quantity, l.refundedQuantity),
    })),
    totals: {
      subtotalFen: Number(full.subtotal_fen) as Fen,
      discountFen: Number(full.discount_fen) as Fen,
      dueFen: Number(full.due_fen) as Fen,
      paidFen: Number(full.paid_fen) as Fen,
      changeFen: Number(full.change_fen) as Fen,
    },
    tenders: tenders.map((t) => ({
      kind: t.kind as SaleView['tenders'][number]['kind'],
      amountFen: Number(t.amount_fen) as Fen,
      paymentId: t.payment_id as ClientId | null,
      state: t.state,
      promotions: promotions(
        t.payment_id === null ? null : (promotionOf.get(t.payment_id) ?? null),
      ),
    })),
    refundedFen: (paid - left) as Fen,
    refundableFen: left as Fen,
  };
}

function promotions(json: string | null): WechatPromotion[] {
  if (json === null) return [];
  return (JSON.parse(json) as PaymentVoucher[]).map((v) => ({
    couponId: v.couponId,
    stockId: v.stockId ?? null,
    name: v.name ?? null,
    scope: v.scope ?? null,
    type: v.type ?? null,
    amountFen: v.amount,
    wechatpayContributeFen: v.wechatpayContribute,
    merchantContributeFen: v.merchantContribute,
    otherContributeFen: v.otherContribute,
  }));
}
