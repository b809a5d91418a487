import { allocate, type Fen, fen, mulFen, subFenFloor } from '../money';
import type { CartLine } from '../vouchers';

/** A sale line as the ledger stored it, with how much of it earlier refunds gave back. */
export interface SoldLine extends Pick<CartLine, 'unitPriceFen' | 'quantity'> {
  readonly lineId: string;
  /** Units already refunded (by refunds not closed). */
  readonly refundedQuantity: number;
}

/** A line and quantity the customer brings back. */
export interface LineAsked {
  readonly lineId: string;
  readonly quantity: number;
}

export type LineRefundProblem =
  | { readonly code: 'NO_SUCH_LINE'; readonly lineId: string }
  | {
      readonly code: 'QUANTITY_EXCEEDS_REFUNDABLE';
      readonly lineId: string;
      readonly asked: number;
      readonly refundable: number;
    };

/**
 * What each line cost the customer after the sale's vouchers. A voucher discount applies to the
 * whole order, so it is shared across the lines in proportion to each line's amount (unit price ×
 * quantity); the shares are rounded in whole fen by the largest-remainder method (core/money
 * `allocate`), so they add up exactly to the discount and a line never gets more discount than it
 * cost. Line i pays amount_i − share_i; the lines together pay subtotal − discount exactly.
 */
export function netLineAmounts(
  lines: readonly Pick<CartLine, 'unitPriceFen' | 'quantity'>[],
  discountFen: Fen,
): Fen[] {
  const amounts = lines.map((l) => mulFen(l.unitPriceFen, l.quantity));
  const subtotal = amounts.reduce((s, a) => s + a, 0);
  const shares = allocate(fen(Math.min(discountFen, subtotal)), amounts);
  return amounts.map((a, i) => subFenFloor(a, shares[i] ?? fen(0)));
}

/**
 * The refund of `asked` units of a line whose `quantity` units cost `netFen` in all, when
 * `before` units were refunded already. Counted cumulatively — the first k units are worth
 * floor(net × k / quantity) — so refunding a line unit by unit, or in any pieces, gives back its
 * net amount exactly, never a fen more or less.
 */
export function unitsRefund(netFen: Fen, quantity: number, before: number, asked: number): Fen {
  const upTo = (k: number) => Math.floor((netFen * k) / quantity);
  return fen(upTo(before + asked) - upTo(before));
}

/**
 * The amount a refund of these lines gives back, from the sale's stored lines and its voucher
 * discount; or the first problem: a line the sale does not have, or more units than the line has
 * left to refund. The same line named twice counts once with the quantities added.
 */
export function lineRefundAmount(
  sold: readonly SoldLine[],
  discountFen: Fen,
  asked: readonly LineAsked[],
): { ok: true; amountFen: Fen } | { ok: false; problem: LineRefundProblem } {
  const net = netLineAmounts(sold, discountFen);
  const wanted = new Map<string, number>();
  for (const a of asked) wanted.set(a.lineId, (wanted.get(a.lineId) ?? 0) + a.quantity);
  let amount = 0;
  for (const [lineId, quantity] of wanted) {
    const i = sold.findIndex((l) => l.lineId === lineId);
    const line = sold[i];
    if (line === undefined) return { ok: false, problem: { code: 'NO_SUCH_LINE', lineId } };
    const refundable = line.quantity - line.refundedQuantity;
    if (quantity > refundable)
      return {
        ok: false,
        problem: { code: 'QUANTITY_EXCEEDS_REFUNDABLE', lineId, asked: quantity, refundable },
      };
    amount += unitsRefund(net[i] ?? fen(0), line.quantity, line.refundedQuantity, quantity);
  }
  return { ok: true, amountFen: fen(amount) };
}

/** Units of each line named by earlier refunds' line lists (those not closed). */
export function refundedQuantities(
  refunds: readonly (readonly LineAsked[])[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const lines of refunds)
    for (const l of lines) out.set(l.lineId, (out.get(l.lineId) ?? 0) + l.quantity);
  return out;
}
