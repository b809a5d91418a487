import type { Fen } from '../money';
import type { ItemScope } from '../vouchers';
import type { OrderView } from './order';

/** Which lines of an order a voucher may discount, and what they add up to before any voucher. */
export interface Eligibility {
  /** Indexes into OrderView.lines, ascending (lineId order). */
  readonly lines: readonly number[];
  readonly subtotalFen: Fen;
}

// Long SKU lists are common (a whole category exported as SKUs); short ones are faster scanned.
const SET_THRESHOLD = 8;

function membership<T>(values: readonly T[]): (v: T) => boolean {
  if (values.length > SET_THRESHOLD) {
    const set = new Set(values);
    return (v) => set.has(v);
  }
  return (v) => values.includes(v);
}

/**
 * A line is eligible when its SKU is listed or its category is listed; a scope
 * listing neither SKUs nor categories covers every line.
 */
export function eligibleLines(order: OrderView, scope: ItemScope): Eligibility {
  const everything = scope.skus.length === 0 && scope.categories.length === 0;
  const hasSku = membership(scope.skus);
  const hasCategory = membership(scope.categories);
  const lines: number[] = [];
  let subtotal = 0;
  order.lines.forEach((line, i) => {
    if (everything || hasSku(line.sku) || hasCategory(line.category)) {
      lines.push(i);
      subtotal += order.amountFen[i] ?? 0;
    }
  });
  return { lines, subtotalFen: subtotal as Fen };
}
