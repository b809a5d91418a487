import type { CategoryId, Sku } from '../ids';
import type { Fen } from '../money';
import type { Reason } from '../reasons';
import { assertNever } from '../result';
import type { Benefit, Candidate, Cart, EvaluationContext } from '../vouchers';
import { dailyLimitReached, usageOf } from './checks';
import { evaluate } from './evaluate';
import { evaluateQuick } from './quick';

/** The verdict on one voucher of an order: what it takes off, or why it is refused. */
export type Judgement =
  | { readonly ok: true; readonly discountFen: Fen }
  | { readonly ok: false; readonly reason: Reason };

export interface JudgeInput {
  /** The voucher being redeemed. */
  readonly target: Candidate;
  /** The order's other vouchers, judged together with it (stacking, per-order limits). */
  readonly companions: readonly Candidate[];
  /** The order; null for a quick redeem at the service desk. */
  readonly cart: Cart | null;
  readonly context: EvaluationContext;
  /** Catalog prices of the SKUs a cart-less gift or bundle names (see pricedSkus). */
  readonly priceOf: (sku: Sku) => Fen | null;
  /**
   * Today's uses by companions already redeemed for this order, per batch. The caller leaves them
   * out of `context.usageToday`: the evaluation counts those companions against the batch's limits
   * as vouchers of the order, and counting them in today's usage too would count them twice (the
   * second code of a capped batch refused, depending on scan order). They still count when the
   * target is checked against the limits on its own (limitPassed).
   */
  readonly orderUsesToday?: EvaluationContext['usageToday'];
}

/**
 * Judges one voucher exactly as the server (the authority) and the till (offline) both must:
 * with a cart, the core evaluation of the whole order and this voucher's share of it; without
 * one, the quick valuation. One function, so the two sides cannot drift apart.
 */
export function judgeVoucher(input: JudgeInput): Judgement {
  const { target, cart, context } = input;
  if (cart === null) return evaluateQuick(target, context, input.priceOf);
  const others = input.companions.filter((c) => c.code !== target.code);
  const evaluation = evaluate(cart, [target, ...others], context);
  const applied = evaluation.applied.find((v) => v.code === target.code);
  if (applied) {
    const over = limitPassed(target, context, input.orderUsesToday ?? {});
    return over === null
      ? { ok: true, discountFen: applied.discountFen }
      : { ok: false, reason: over };
  }
  const refused = evaluation.refused.find((v) => v.code === target.code);
  return { ok: false, reason: refused?.reason ?? { code: 'NO_ELIGIBLE_ITEMS' } };
}

/**
 * The batch limit one more use of the target would pass, counting every use today, this order's
 * included. The evaluation keeps the order's vouchers within the limits when its choice contains
 * the companions already redeemed; this holds the limit when it does not (a code added to the
 * order after another was redeemed, which the choice prefers to it).
 */
function limitPassed(
  target: Candidate,
  context: EvaluationContext,
  orderUses: EvaluationContext['usageToday'],
): Reason | null {
  const other = usageOf(context, target.batch.id);
  const own = orderUses[target.batch.id] ?? { batch: 0, customer: 0 };
  return dailyLimitReached(target.batch, {
    batch: other.batch + own.batch,
    customer: other.customer + own.customer,
  });
}

/** The SKUs whose catalog price values a benefit when there is no cart to read prices from. */
export function pricedSkus(benefit: Benefit): readonly Sku[] {
  switch (benefit.kind) {
    case 'gift':
      return [benefit.sku];
    case 'group_buy':
      return benefit.items.map((i) => i.sku);
    case 'cash':
    case 'threshold':
    case 'discount':
    case 'general':
      return [];
    default:
      return assertNever(benefit, 'benefit');
  }
}

/** What the catalog says of one SKU. */
export interface CatalogItem {
  readonly priceFen: Fen;
  readonly category: CategoryId;
}

export type PricedCart =
  { readonly ok: true; readonly cart: Cart } | { readonly ok: false; readonly reason: Reason };

/**
 * The order as the catalog prices it. A till's cart is a claim: a line whose price differs from
 * the catalog, or whose SKU the catalog does not have, is refused (PRICE_MISMATCH) rather than
 * valued at the till's figure; categories always come from the catalog, so a line cannot be made
 * eligible for a category voucher by relabelling it.
 */
export function cartAtCatalogPrices(
  cart: Cart,
  itemOf: (sku: Sku) => CatalogItem | null,
): PricedCart {
  const lines: Cart['lines'][number][] = [];
  for (const line of cart.lines) {
    const item = itemOf(line.sku);
    if (item === null || item.priceFen !== line.unitPriceFen)
      return {
        ok: false,
        reason: {
          code: 'PRICE_MISMATCH',
          sku: line.sku,
          tillFen: line.unitPriceFen,
          catalogFen: item?.priceFen ?? null,
        },
      };
    lines.push(line.category === item.category ? line : { ...line, category: item.category });
  }
  return { ok: true, cart: { ...cart, lines } };
}

/** Every SKU whose catalog entry judging this order needs: the cart's lines and priced benefits. */
export function skusToPrice(cart: Cart | null, candidates: readonly Candidate[]): Sku[] {
  const skus = new Set<Sku>();
  for (const line of cart?.lines ?? []) skus.add(line.sku);
  if (cart === null)
    for (const c of candidates) for (const s of pricedSkus(c.batch.benefit)) skus.add(s);
  return [...skus];
}
