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

/** Receives each line a voucher discounts (index into OrderView.lines) and by how much. */
export type RecordPart = (line: number, discountFen: Fen) => void;

/**
 * Applies one voucher to what is left of each line: subtracts its discount
 * from `remaining` in place and returns the discount. `record`, when given,
 * hears each discounted line in lineId order. The combination search calls
 * this without `record`, so it creates no objects per line.
 */
export function applyBenefit(
  benefit: Benefit,
  order: OrderView,
  eligible: readonly number[],
  remaining: number[],
  record?: RecordPart,
): number {
  switch (benefit.kind) {
    case 'gift': {
      let need = benefit.quantity;
      let total = 0;
      for (const i of eligible) {
        if (need === 0) break;
        const line = order.lines[i];
        if (line === undefined || line.sku !== benefit.sku) continue;
        const units = Math.min(need, line.quantity);
        need -= units;
        const worth = Math.min(units * line.unitPriceFen, remaining[i] ?? 0);
        if (worth > 0) {
          remaining[i] = (remaining[i] ?? 0) - worth;
          total += worth;
          record?.(i, worth as Fen);
        }
      }
      return total;
    }
    case 'group_buy': {
      // Each line has one SKU, so each line is taken for at most one bundle item.
      const lines: number[] = [];
      const worth: number[] = [];
      for (const { sku, quantity } of bundleNeeds(benefit)) {
        let need = quantity;
        for (const i of eligible) {
          if (need === 0) break;
          const line = order.lines[i];
          if (line === undefined || line.sku !== sku) continue;
          const units = Math.min(need, line.quantity);
          need -= units;
          lines.push(i);
          worth.push(Math.min(units * line.unitPriceFen, remaining[i] ?? 0));
        }
      }
      const byLine = lines.map((_, k) => k).sort((a, b) => (lines[a] ?? 0) - (lines[b] ?? 0));
      const sortedLines = byLine.map((k) => lines[k] ?? 0);
      const weights = byLine.map((k) => worth[k] ?? 0);
      const value = weights.reduce((s, w) => s + w, 0);
      return spread(Math.max(0, value - benefit.priceFen), sortedLines, weights, remaining, record);
    }
    case 'discount':
    case 'threshold':
    case 'cash':
    case 'general': {
      const weights: number[] = [];
      let base = 0;
      for (const i of eligible) {
        const w = remaining[i] ?? 0;
        weights.push(w);
        base += w;
      }
      if (base === 0) return 0;
      let amount: number;
      if (benefit.kind === 'discount') {
        amount = percentOf(base as Fen, benefit.percentOffBp);
        if (benefit.capFen !== undefined) amount = Math.min(amount, benefit.capFen);
      } else {
        amount = Math.min(benefit.valueFen, base);
      }
      return spread(amount, eligible, weights, remaining, record);
    }
    default:
      return assertNever(benefit, 'benefit');
  }
}

/** Allocates `total` over `lines` by `weights` (largest remainder) and takes it off `remaining`. */
function spread(
  total: number,
  lines: readonly number[],
  weights: readonly number[],
  remaining: number[],
  record: RecordPart | undefined,
): number {
  if (total === 0) return 0;
  const parts = allocate(total as Fen, weights as readonly Fen[]);
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k] ?? 0;
    const line = lines[k];
    if (part === 0 || line === undefined) continue;
    remaining[line] = (remaining[line] ?? 0) - part;
    record?.(line, part as Fen);
  }
  return total;
}
