import type { Fen } from '../money';
import type { Cart, CartLine } from '../vouchers';

/**
 * A cart in canonical form: lines sorted by lineId, each with its amount
 * (unit price × quantity). Every rule reads lines through this view, so the
 * result of evaluate() cannot depend on the order the cashier scanned items.
 */
export interface OrderView {
  readonly cart: Cart;
  /** Sorted by lineId. */
  readonly lines: readonly CartLine[];
  /** amountFen[i] = lines[i].unitPriceFen × lines[i].quantity. */
  readonly amountFen: readonly number[];
  readonly subtotalFen: Fen;
}

const byLineId = (a: CartLine, b: CartLine): number =>
  a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0;

export function orderView(cart: Cart): OrderView {
  const lines = [...cart.lines].sort(byLineId);
  const amountFen = lines.map((l) => l.unitPriceFen * l.quantity);
  let subtotal = 0;
  for (const a of amountFen) subtotal += a;
  if (!Number.isSafeInteger(subtotal))
    throw new RangeError('cart subtotal is too large to count exactly in fen');
  return { cart, lines, amountFen, subtotalFen: subtotal as Fen };
}
