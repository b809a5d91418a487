import type { Sku } from '../ids';
import type { Fen } from '../money';
import type { Reason } from '../reasons';
import { assertNever } from '../result';
import { endOfLocalDayAfter, localTime, toInstant } from '../time';
import type { Batch, Benefit, Candidate, EvaluationContext, TimeWindow } from '../vouchers';
import { eligibleLines, type Eligibility } from './eligibility';
import type { OrderView } from './order';

/**
 * The per-candidate rules, one small function each, run in this fixed order;
 * the first that fails gives the candidate's reason:
 *
 *  Without a cart (also used by evaluateQuick at the service desk):
 *   1. batch state       paused → BATCH_PAUSED, revoked → BATCH_REVOKED, expired → EXPIRED
 *   2. already redeemed  → ALREADY_REDEEMED {at, storeId}
 *   3. validity          → NOT_YET_VALID {from} / EXPIRED {at} / CLAIM_DATE_UNKNOWN
 *   4. time windows      (store time) → OUTSIDE_HOURS {windows}
 *   5. store scope       → WRONG_STORE {storeId, allowedStores, allowedGroups}
 *   6. daily caps        → DAILY_CAP_REACHED {cap}, then CUSTOMER_DAILY_LIMIT {limit}
 *  With a cart:
 *   7. member tiers      → TIER_REQUIRED {tiers, memberTier}
 *   8. member discount   → NOT_WITH_MEMBER_DISCOUNT
 *   9. eligible items    → NO_ELIGIBLE_ITEMS
 *  10. minimum spend     (eligible subtotal before any voucher) → THRESHOLD_NOT_MET
 *  11. gift item         → GIFT_ITEM_MISSING {sku, quantity}
 *  12. bundle items      → BUNDLE_INCOMPLETE {missing}
 *
 * The order puts what the customer cannot change (state, dates, place) before
 * what the cashier can fix at the counter (items, amounts).
 */

/** The context with its instant already parsed, so checks do not re-parse it per candidate. */
export interface Moment {
  readonly context: EvaluationContext;
  readonly nowMs: number;
}

export const momentOf = (context: EvaluationContext): Moment => ({
  context,
  nowMs: Date.parse(context.now),
});

type ContextCheck = (candidate: Candidate, moment: Moment) => Reason | null;

const batchState: ContextCheck = ({ batch }, { nowMs }) => {
  switch (batch.state) {
    case 'active':
      return null;
    case 'paused':
      return { code: 'BATCH_PAUSED', batchId: batch.id };
    case 'revoked':
      return { code: 'BATCH_REVOKED', batchId: batch.id };
    case 'expired': {
      // A manager may expire a batch before its end date; then "now" is the best instant known.
      const until = batch.validity.type === 'fixed' ? Date.parse(batch.validity.until) : nowMs;
      return { code: 'EXPIRED', at: toInstant(Math.min(until, nowMs)) };
    }
    default:
      return assertNever(batch.state, 'batch state');
  }
};

const alreadyRedeemed: ContextCheck = ({ redeemed }) =>
  redeemed === null
    ? null
    : {
        code: 'ALREADY_REDEEMED',
        at: redeemed.at,
        storeId: redeemed.storeId,
        ...(redeemed.terminalId === undefined ? {} : { terminalId: redeemed.terminalId }),
      };

const validity: ContextCheck = ({ batch, claimedAt }, { context, nowMs }) => {
  const v = batch.validity;
  switch (v.type) {
    case 'fixed':
      if (nowMs < Date.parse(v.from)) return { code: 'NOT_YET_VALID', from: v.from };
      if (nowMs >= Date.parse(v.until)) return { code: 'EXPIRED', at: v.until };
      return null;
    case 'after_claim': {
      if (claimedAt === null) return { code: 'CLAIM_DATE_UNKNOWN' };
      const claimedMs = Date.parse(claimedAt);
      if (nowMs < claimedMs) return { code: 'NOT_YET_VALID', from: claimedAt };
      const end = endOfLocalDayAfter(claimedMs, v.days, context.timeZone);
      return nowMs >= end ? { code: 'EXPIRED', at: toInstant(end) } : null;
    }
    default:
      return assertNever(v, 'validity');
  }
};

/** True when the store-local instant falls in one of the windows (start inclusive, end exclusive). */
export function insideWindows(
  windows: readonly TimeWindow[],
  nowMs: number,
  timeZone: string,
): boolean {
  if (windows.length === 0) return true;
  const local = localTime(nowMs, timeZone);
  return windows.some(
    (w) =>
      w.weekdays.includes(local.isoWeekday) &&
      w.startMinute <= local.minuteOfDay &&
      local.minuteOfDay < w.endMinute,
  );
}

const hours: ContextCheck = ({ batch }, { context, nowMs }) =>
  insideWindows(batch.windows, nowMs, context.timeZone)
    ? null
    : { code: 'OUTSIDE_HOURS', windows: batch.windows };

/** Store scope: all stores, or this store listed, or one of this store's groups listed. */
export function storeAllowed(candidate: Candidate, context: EvaluationContext): boolean {
  const scope = candidate.batch.stores;
  if (scope.type === 'all') return true;
  return (
    scope.storeIds.includes(context.storeId) ||
    scope.groupIds.some((g) => context.storeGroupIds.includes(g))
  );
}

const store: ContextCheck = (candidate, { context }) => {
  const scope = candidate.batch.stores;
  if (scope.type === 'all' || storeAllowed(candidate, context)) return null;
  return {
    code: 'WRONG_STORE',
    storeId: context.storeId,
    allowedStores: scope.storeIds,
    allowedGroups: scope.groupIds,
  };
};

/** Today's redemptions of a batch (store day), chain-wide and by this customer. */
export function usageOf(
  context: EvaluationContext,
  batchId: string,
): { batch: number; customer: number } {
  return context.usageToday[batchId] ?? { batch: 0, customer: 0 };
}

/** The daily limit of the batch that `used` uses up (one more use would pass it), or null. */
export function dailyLimitReached(
  batch: Batch,
  used: { readonly batch: number; readonly customer: number },
): Reason | null {
  if (batch.dailyCap !== null && used.batch >= batch.dailyCap)
    return { code: 'DAILY_CAP_REACHED', cap: batch.dailyCap };
  if (batch.perCustomerDailyLimit !== null && used.customer >= batch.perCustomerDailyLimit)
    return { code: 'CUSTOMER_DAILY_LIMIT', limit: batch.perCustomerDailyLimit };
  return null;
}

const dailyCaps: ContextCheck = ({ batch }, { context }) =>
  dailyLimitReached(batch, usageOf(context, batch.id));

const CONTEXT_CHECKS: readonly ContextCheck[] = [
  batchState,
  alreadyRedeemed,
  validity,
  hours,
  store,
  dailyCaps,
];

/** Rules 1–6: everything that can be decided without a cart. */
export function checkWithoutCart(candidate: Candidate, moment: Moment): Reason | null {
  for (const check of CONTEXT_CHECKS) {
    const reason = check(candidate, moment);
    if (reason !== null) return reason;
  }
  return null;
}

/** Units of `sku` among the given lines. */
function unitsOf(order: OrderView, lines: readonly number[], sku: string): number {
  let units = 0;
  for (const i of lines) {
    const line = order.lines[i];
    if (line !== undefined && line.sku === sku) units += line.quantity;
  }
  return units;
}

/** Bundle items merged by SKU (a bundle may list one SKU twice) and sorted by SKU. */
export function bundleNeeds(
  benefit: Extract<Benefit, { kind: 'group_buy' }>,
): { sku: Sku; quantity: number }[] {
  const needs = new Map<Sku, number>();
  for (const item of benefit.items) needs.set(item.sku, (needs.get(item.sku) ?? 0) + item.quantity);
  return [...needs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sku, quantity]) => ({ sku, quantity }));
}

/** The minimum eligible subtotal: the batch's minimum spend, or a threshold voucher's own, whichever is higher. */
export function requiredSpend(candidate: Candidate): number {
  const { benefit, minSpendFen } = candidate.batch;
  return benefit.kind === 'threshold' ? Math.max(minSpendFen, benefit.thresholdFen) : minSpendFen;
}

function benefitItems(
  candidate: Candidate,
  order: OrderView,
  eligible: Eligibility,
): Reason | null {
  const benefit = candidate.batch.benefit;
  switch (benefit.kind) {
    case 'gift':
      return unitsOf(order, eligible.lines, benefit.sku) >= benefit.quantity
        ? null
        : { code: 'GIFT_ITEM_MISSING', sku: benefit.sku, quantity: benefit.quantity };
    case 'group_buy': {
      const missing = bundleNeeds(benefit)
        .map(({ sku, quantity }) => ({
          sku,
          quantity: quantity - unitsOf(order, eligible.lines, sku),
        }))
        .filter((m) => m.quantity > 0);
      return missing.length === 0 ? null : { code: 'BUNDLE_INCOMPLETE', missing };
    }
    case 'cash':
    case 'threshold':
    case 'discount':
    case 'general':
      return null;
    default:
      return assertNever(benefit, 'benefit');
  }
}

export type OrderCheck =
  | { readonly ok: true; readonly eligible: Eligibility }
  | { readonly ok: false; readonly reason: Reason };

/**
 * Rules 7–12, for a candidate that passed rules 1–6. Gift and bundle items are
 * looked for among the eligible lines: a voucher only ever discounts lines in
 * its item scope.
 */
export function checkWithCart(candidate: Candidate, order: OrderView): OrderCheck {
  const { batch } = candidate;
  const { cart } = order;
  if (
    batch.memberTiers.length > 0 &&
    (cart.memberTier === null || !batch.memberTiers.includes(cart.memberTier))
  )
    return {
      ok: false,
      reason: { code: 'TIER_REQUIRED', tiers: batch.memberTiers, memberTier: cart.memberTier },
    };
  if (!batch.withMemberDiscount && cart.memberDiscountApplied)
    return { ok: false, reason: { code: 'NOT_WITH_MEMBER_DISCOUNT' } };
  const eligible = eligibleLines(order, batch.items);
  if (eligible.lines.length === 0) return { ok: false, reason: { code: 'NO_ELIGIBLE_ITEMS' } };
  const required = requiredSpend(candidate);
  if (eligible.subtotalFen < required)
    return {
      ok: false,
      reason: {
        code: 'THRESHOLD_NOT_MET',
        required: required as Fen,
        eligibleSubtotal: eligible.subtotalFen,
      },
    };
  const missing = benefitItems(candidate, order, eligible);
  return missing === null ? { ok: true, eligible } : { ok: false, reason: missing };
}
