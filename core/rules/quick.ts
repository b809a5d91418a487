import { type Fen, mulFen } from '../money';
import type { Reason } from '../reasons';
import { assertNever } from '../result';
import type { Sku } from '../ids';
import type { Candidate, EvaluationContext } from '../vouchers';
import { bundleNeeds, checkWithoutCart, momentOf } from './checks';

export type QuickResult = { ok: true; discountFen: Fen } | { ok: false; reason: Reason };

/**
 * A redemption with no cart (the service desk): runs the rules that do not
 * need a cart — state, already redeemed, validity, hours, store scope, daily
 * caps (checks.ts, the same code evaluate() runs) — and values the voucher:
 * cash / threshold / general → valueFen (the desk takes the threshold as met);
 * gift → quantity × priceOf(sku); group_buy → the items' price − priceFen,
 * floored at 0. A discount voucher needs a cart to know its base, so it is
 * refused with NO_ELIGIBLE_ITEMS. A SKU priceOf does not know → NOT_IN_CATALOG.
 * A voucher worth 0 is refused with NOTHING_LEFT_TO_DISCOUNT rather than used up.
 */
export function evaluateQuick(
  candidate: Candidate,
  context: EvaluationContext,
  priceOf: (sku: Sku) => Fen | null,
): QuickResult {
  const reason = checkWithoutCart(candidate, momentOf(context));
  if (reason !== null) return { ok: false, reason };
  const value = quickValue(candidate, priceOf);
  if (!value.ok) return value;
  return value.discountFen > 0
    ? value
    : { ok: false, reason: { code: 'NOTHING_LEFT_TO_DISCOUNT' } };
}

function quickValue(candidate: Candidate, priceOf: (sku: Sku) => Fen | null): QuickResult {
  const benefit = candidate.batch.benefit;
  switch (benefit.kind) {
    case 'cash':
    case 'threshold':
    case 'general':
      return { ok: true, discountFen: benefit.valueFen };
    case 'discount':
      return { ok: false, reason: { code: 'NO_ELIGIBLE_ITEMS' } };
    case 'gift': {
      const price = priceOf(benefit.sku);
      if (price === null) return { ok: false, reason: { code: 'NOT_IN_CATALOG' } };
      return { ok: true, discountFen: mulFen(price, benefit.quantity) };
    }
    case 'group_buy': {
      let value = 0;
      for (const { sku, quantity } of bundleNeeds(benefit)) {
        const price = priceOf(sku);
        if (price === null) return { ok: false, reason: { code: 'NOT_IN_CATALOG' } };
        value += mulFen(price, quantity);
      }
      return { ok: true, discountFen: Math.max(0, value - benefit.priceFen) as Fen };
    }
    default:
      return assertNever(benefit, 'benefit');
  }
}
