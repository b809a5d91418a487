import { allocate, type Fen, percentOf } from '../money';
import { assertNever } from '../result';
import type { Benefit, VoucherKind } from '../vouchers';
import { bundleNeeds } from './checks';
import type { OrderView } from './order';

/**
 * How benefits turn into fen. Vouchers in one order are applied in a canonical
 * order, each on what earlier ones left of every line (`remaining`), so two
 * vouchers never discount the same fen:
 *   1. item-level kinds: gift (the SKU's unit price × quantity, free), then
 *      group_buy (the bundle items' price − priceFen, never negative);
 *   2. discount: percentOffBp of the remaining eligible amount, half-up, capped by capFen;
 *   3. fixed amounts: threshold, cash, general — valueFen, capped at the remaining eligible amount.
 * Within a kind, vouchers go by code. A voucher's discount is spread over its
 * lines with money.allocate (largest remainder, lineId order), so the parts
 * sum exactly to the discount and no part exceeds what is left of its line.
 */
export const APPLICATION_RANK = {
  gift: 0,
  group_buy: 1,
  discount: 2,
  threshold: 3,
  cash: 4,
  general: 5,
} as const satisfies Record<VoucherKind, number>;

/** One voucher's share of one line, in fen. */
export interface LinePart {
  /** Index into OrderView.lines. */
  readonly line: number;
  readonly discountFen: Fen;
}

const NONE: readonly LinePart[] = [];

/**
 * Takes `units` of `sku` from the eligible lines (lineId order) and returns how
 * much of each line's remaining amount they are worth.
 */
function takeUnits(
  order: OrderView,
  eligible: readonly number[],
  remaining: readonly number[],
  sku: string,
  units: number,
  into: Map<number, number>,
): void {
  let need = units;
  for (const i of eligible) {
    if (need === 0) return;
    const line = order.lines[i];
    if (line === undefined || line.sku !== sku) continue;
    const taken = Math.min(need, line.quantity);
    need -= taken;
    const worth = Math.min(taken * line.unitPriceFen, (remaining[i] ?? 0) - (into.get(i) ?? 0));
    into.set(i, (into.get(i) ?? 0) + worth);
  }
}

function spread(total: number, lines: readonly number[], weights: readonly number[]): LinePart[] {
  if (total === 0) return [];
  const parts = allocate(total as Fen, weights as readonly Fen[]);
  const out: LinePart[] = [];
  parts.forEach((p, k) => {
    const line = lines[k];
    if (p > 0 && line !== undefined) out.push({ line, discountFen: p });
  });
  return out;
}

/**
 * What one voucher takes from the order given what is left of each line.
 * Does not modify `remaining`; the caller subtracts the parts.
 */
export function benefitParts(
  benefit: Benefit,
  order: OrderView,
  eligible: readonly number[],
  remaining: readonly number[],
): readonly LinePart[] {
  switch (benefit.kind) {
    case 'gift': {
      const worth = new Map<number, number>();
      takeUnits(order, eligible, remaining, benefit.sku, benefit.quantity, worth);
      return [...worth]
        .filter(([, v]) => v > 0)
        .map(([line, v]) => ({ line, discountFen: v as Fen }));
    }
    case 'group_buy': {
      const worth = new Map<number, number>();
      for (const { sku, quantity } of bundleNeeds(benefit))
        takeUnits(order, eligible, remaining, sku, quantity, worth);
      const lines = [...worth.keys()].sort((a, b) => a - b);
      const weights = lines.map((i) => worth.get(i) ?? 0);
      const value = weights.reduce((s, w) => s + w, 0);
      return spread(Math.max(0, value - benefit.priceFen), lines, weights);
    }
    case 'discount':
    case 'threshold':
    case 'cash':
    case 'general': {
      const weights = eligible.map((i) => remaining[i] ?? 0);
      const base = weights.reduce((s, w) => s + w, 0);
      if (base === 0) return NONE;
      let amount: number;
      if (benefit.kind === 'discount') {
        amount = percentOf(base as Fen, benefit.percentOffBp);
        if (benefit.capFen !== undefined) amount = Math.min(amount, benefit.capFen);
      } else {
        amount = Math.min(benefit.valueFen, base);
      }
      return spread(amount, eligible, weights);
    }
    default:
      return assertNever(benefit, 'benefit');
  }
}
