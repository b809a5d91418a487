import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCandidate, arbCandidates, arbCart, arbContext } from '../../test/helpers/core-builders';
import { Evaluation, type Reason } from '../reasons';
import type { Candidate, Cart, EvaluationContext } from '../vouchers';
import { inEvaluationOrder } from './evaluate';
import { evaluate } from './index';

/**
 * The invariants of DESIGN.md "Vouchers and rules", over generated carts and
 * batches. Rules are re-checked here from their definitions, not through the
 * engine's helpers, so a wrong engine cannot agree with itself.
 */

const RUNS = { numRuns: 400 };
const input = fc.record({ cart: arbCart, candidates: arbCandidates, context: arbContext });

/**
 * The copy of `code` the engine judged: codes may repeat with different batches, and evaluate()
 * keeps the first copy in its own order, not the first one passed in.
 */
function keptCopy(candidates: readonly Candidate[], code: string): Candidate {
  const kept = inEvaluationOrder(candidates).find((c) => c.code === code);
  if (kept === undefined) throw new Error(`applied an unknown code ${code}`);
  return kept;
}

const lineAmount = (cart: Cart, lineId: string): number => {
  const line = cart.lines.find((l) => l.lineId === lineId);
  return line === undefined ? Number.NaN : line.unitPriceFen * line.quantity;
};

/** Independent restatement of item scope. */
function eligibleSubtotal(cart: Cart, c: Candidate): number {
  const { skus, categories } = c.batch.items;
  return cart.lines
    .filter(
      (l) =>
        (skus.length === 0 && categories.length === 0) ||
        skus.includes(l.sku) ||
        categories.includes(l.category),
    )
    .reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
}

/** A permutation from a seed (Fisher–Yates with a small LCG), so the shuffle is reproducible. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

const isoWeekdayIn = (ms: number, timeZone: string): number =>
  ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short' }).format(ms),
  ) + 1;

const minuteIn = (ms: number, timeZone: string): number => {
  const [h, m] = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(ms)
    .split(':')
    .map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

const dateIn = (ms: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function conflictsIndependently(a: Candidate, b: Candidate): boolean {
  const pair = [a.batch.stacking, b.batch.stacking];
  if (pair.includes('exclusive')) return true;
  return a.batch.benefit.kind === b.batch.benefit.kind && pair.includes('other_kinds');
}

/** Asserts that `reason` really describes a rule `candidate` breaks. */
function assertReasonHolds(
  reason: Reason,
  candidate: Candidate,
  cart: Cart,
  context: EvaluationContext,
  applied: readonly Candidate[],
  result: Evaluation,
): void {
  const { batch } = candidate;
  const now = Date.parse(context.now);
  switch (reason.code) {
    case 'THRESHOLD_NOT_MET': {
      const subtotal = eligibleSubtotal(cart, candidate);
      const own = batch.benefit.kind === 'threshold' ? batch.benefit.thresholdFen : 0;
      expect(reason.eligibleSubtotal).toBe(subtotal);
      expect(reason.required).toBe(Math.max(own, batch.minSpendFen));
      expect(subtotal).toBeLessThan(reason.required);
      return;
    }
    case 'WRONG_STORE':
      expect(batch.stores.type).toBe('listed');
      expect(reason.allowedStores).not.toContain(context.storeId);
      expect(reason.allowedGroups.filter((g) => context.storeGroupIds.includes(g))).toEqual([]);
      return;
    case 'EXPIRED':
      expect(Date.parse(reason.at)).toBeLessThanOrEqual(now);
      if (batch.state !== 'expired' && batch.validity.type === 'fixed')
        expect(reason.at).toBe(batch.validity.until);
      if (batch.validity.type === 'after_claim' && batch.state !== 'expired') {
        // Ends at the local midnight that starts claim date + N.
        const at = Date.parse(reason.at);
        const claimDate = dateIn(Date.parse(candidate.claimedAt ?? ''), context.timeZone);
        expect(dateIn(at, context.timeZone)).toBe(addDays(claimDate, batch.validity.days));
        expect(minuteIn(at, context.timeZone)).toBe(0);
        expect(dateIn(at - 60_000, context.timeZone)).not.toBe(dateIn(at, context.timeZone));
      }
      return;
    case 'NOT_YET_VALID':
      expect(now).toBeLessThan(Date.parse(reason.from));
      return;
    case 'TIER_REQUIRED':
      expect(batch.memberTiers.length).toBeGreaterThan(0);
      if (cart.memberTier !== null) expect(batch.memberTiers).not.toContain(cart.memberTier);
      return;
    case 'OUTSIDE_HOURS': {
      const day = isoWeekdayIn(now, context.timeZone);
      const minute = minuteIn(now, context.timeZone);
      expect(
        batch.windows.some(
          (w) => w.weekdays.includes(day) && w.startMinute <= minute && minute < w.endMinute,
        ),
      ).toBe(false);
      return;
    }
    case 'ALREADY_REDEEMED':
      expect(candidate.redeemed).toEqual({ at: reason.at, storeId: reason.storeId });
      return;
    case 'BATCH_PAUSED':
    case 'BATCH_REVOKED':
      expect(batch.state).toBe(reason.code === 'BATCH_PAUSED' ? 'paused' : 'revoked');
      return;
    case 'CLAIM_DATE_UNKNOWN':
      expect(batch.validity.type).toBe('after_claim');
      expect(candidate.claimedAt).toBeNull();
      return;
    case 'NOT_WITH_MEMBER_DISCOUNT':
      expect(batch.withMemberDiscount).toBe(false);
      expect(cart.memberDiscountApplied).toBe(true);
      return;
    case 'NO_ELIGIBLE_ITEMS':
      expect(
        cart.lines.some(
          (l) =>
            (batch.items.skus.length === 0 && batch.items.categories.length === 0) ||
            batch.items.skus.includes(l.sku) ||
            batch.items.categories.includes(l.category),
        ),
      ).toBe(false);
      return;
    case 'NOT_STACKABLE': {
      const other = applied.find((a) => a.code === reason.with);
      expect(other).toBeDefined();
      if (other !== undefined) expect(conflictsIndependently(candidate, other)).toBe(true);
      return;
    }
    case 'PER_ORDER_LIMIT':
      expect(applied.filter((a) => a.batch.id === batch.id)).toHaveLength(reason.limit);
      return;
    case 'DAILY_CAP_REACHED': {
      const used = context.usageToday[batch.id]?.batch ?? 0;
      const inOrder = applied.filter((a) => a.batch.id === batch.id).length;
      expect(used + inOrder).toBeGreaterThanOrEqual(reason.cap);
      return;
    }
    case 'CUSTOMER_DAILY_LIMIT': {
      const used = context.usageToday[batch.id]?.customer ?? 0;
      const inOrder = applied.filter((a) => a.batch.id === batch.id).length;
      expect(used + inOrder).toBeGreaterThanOrEqual(reason.limit);
      return;
    }
    case 'NOTHING_LEFT_TO_DISCOUNT':
      // Adding it to what was chosen does not lower the bill.
      expect(evaluate(cart, [...applied, candidate], context).discountFen).toBe(result.discountFen);
      return;
    case 'DUPLICATE_IN_ORDER':
    case 'GIFT_ITEM_MISSING':
    case 'BUNDLE_INCOMPLETE':
      return;
    default:
      throw new Error(`evaluate gave a reason it should never give: ${reason.code}`);
  }
}

describe('evaluate: properties', () => {
  it('returns a schema-valid evaluation that accounts for every candidate', () => {
    fc.assert(
      fc.property(input, ({ cart, candidates, context }) => {
        const result = evaluate(cart, candidates, context);
        expect(Evaluation.safeParse(result).success).toBe(true);
        expect(result.applied.length + result.refused.length).toBe(candidates.length);
      }),
      RUNS,
    );
  });

  it('never discounts more than the eligible subtotal, and totals never go negative', () => {
    fc.assert(
      fc.property(input, ({ cart, candidates, context }) => {
        const result = evaluate(cart, candidates, context);
        const subtotal = cart.lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
        expect(result.subtotalFen).toBe(subtotal);
        expect(result.discountFen).toBe(result.applied.reduce((s, a) => s + a.discountFen, 0));
        expect(result.discountFen).toBeLessThanOrEqual(subtotal);
        expect(result.totalFen).toBe(subtotal - result.discountFen);
        expect(result.totalFen).toBeGreaterThanOrEqual(0);
        for (const a of result.applied) {
          const candidate = keptCopy(candidates, a.code);
          expect(a.discountFen).toBeGreaterThan(0);
          expect(a.discountFen).toBeLessThanOrEqual(eligibleSubtotal(cart, candidate));
        }
      }),
      RUNS,
    );
  });

  it('allocates each voucher exactly and never discounts a line below zero', () => {
    fc.assert(
      fc.property(input, ({ cart, candidates, context }) => {
        const result = evaluate(cart, candidates, context);
        const perLine = new Map<string, number>();
        for (const a of result.applied) {
          expect(a.allocations.reduce((s, p) => s + p.discountFen, 0)).toBe(a.discountFen);
          const ids = a.allocations.map((p) => p.lineId);
          expect(ids).toEqual([...ids].sort());
          for (const p of a.allocations)
            perLine.set(p.lineId, (perLine.get(p.lineId) ?? 0) + p.discountFen);
        }
        for (const [lineId, discount] of perLine)
          expect(discount).toBeLessThanOrEqual(lineAmount(cart, lineId));
      }),
      RUNS,
    );
  });

  it('does not depend on the order of candidates or cart lines', () => {
    fc.assert(
      fc.property(input, fc.nat(), fc.nat(), ({ cart, candidates, context }, s1, s2) => {
        // Identical copies of one code would be indistinguishable anyway; distinct content must not matter.
        const expected = evaluate(cart, candidates, context);
        const reordered = evaluate(
          { ...cart, lines: shuffled(cart.lines, s1) },
          shuffled(candidates, s2),
          context,
        );
        expect(reordered).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('gives the same result for the same inputs', () => {
    fc.assert(
      fc.property(input, ({ cart, candidates, context }) => {
        const first = evaluate(cart, candidates, context);
        const again = evaluate(
          structuredClone(cart),
          structuredClone(candidates),
          structuredClone(context),
        );
        expect(again).toEqual(first);
      }),
      RUNS,
    );
  });

  it('refuses a voucher only for a rule it really breaks', () => {
    fc.assert(
      fc.property(input, ({ cart, candidates, context }) => {
        const result = evaluate(cart, candidates, context);
        const appliedCandidates = result.applied.flatMap((a) =>
          candidates.filter((c) => c.code === a.code).slice(0, 1),
        );
        const seen = new Map<string, number>();
        for (const { code, reason } of result.refused) {
          const copies = candidates.filter((c) => c.code === code);
          if (reason.code === 'DUPLICATE_IN_ORDER') {
            expect(copies.length).toBeGreaterThan(1);
            continue;
          }
          // With several copies of a code, the reason must hold for one of them.
          const index = seen.get(code) ?? 0;
          seen.set(code, index + 1);
          const holdsForSome = copies.some((c) => {
            try {
              assertReasonHolds(reason, c, cart, context, appliedCandidates, result);
              return true;
            } catch {
              return false;
            }
          });
          if (!holdsForSome)
            assertReasonHolds(
              reason,
              copies[0] as Candidate,
              cart,
              context,
              appliedCandidates,
              result,
            );
        }
      }),
      RUNS,
    );
  });

  it('applies only vouchers that pass every rule', () => {
    fc.assert(
      fc.property(input, ({ cart, candidates, context }) => {
        const result = evaluate(cart, candidates, context);
        const now = Date.parse(context.now);
        for (const a of result.applied) {
          const c = keptCopy(candidates, a.code);
          const { batch } = c;
          expect(batch.state).toBe('active');
          expect(c.redeemed).toBeNull();
          if (batch.validity.type === 'fixed') {
            expect(now).toBeGreaterThanOrEqual(Date.parse(batch.validity.from));
            expect(now).toBeLessThan(Date.parse(batch.validity.until));
          } else {
            const claimed = Date.parse(c.claimedAt ?? 'missing');
            expect(now).toBeGreaterThanOrEqual(claimed);
            const lastDay = addDays(dateIn(claimed, context.timeZone), batch.validity.days - 1);
            expect(dateIn(now, context.timeZone) <= lastDay).toBe(true);
          }
          if (batch.windows.length > 0) {
            const day = isoWeekdayIn(now, context.timeZone);
            const minute = minuteIn(now, context.timeZone);
            expect(
              batch.windows.some(
                (w) => w.weekdays.includes(day) && w.startMinute <= minute && minute < w.endMinute,
              ),
            ).toBe(true);
          }
          if (batch.stores.type === 'listed') {
            const { storeIds, groupIds } = batch.stores;
            expect(
              storeIds.includes(context.storeId) ||
                groupIds.some((g) => context.storeGroupIds.includes(g)),
            ).toBe(true);
          }
          if (batch.memberTiers.length > 0) expect(batch.memberTiers).toContain(cart.memberTier);
          if (!batch.withMemberDiscount) expect(cart.memberDiscountApplied).toBe(false);
          const usage = context.usageToday[batch.id] ?? { batch: 0, customer: 0 };
          const sameBatch = result.applied.filter((x) => x.batchId === batch.id).length;
          if (batch.dailyCap !== null)
            expect(usage.batch + sameBatch).toBeLessThanOrEqual(batch.dailyCap);
          if (batch.perCustomerDailyLimit !== null)
            expect(usage.customer + sameBatch).toBeLessThanOrEqual(batch.perCustomerDailyLimit);
          const own = batch.benefit.kind === 'threshold' ? batch.benefit.thresholdFen : 0;
          expect(eligibleSubtotal(cart, c)).toBeGreaterThanOrEqual(
            Math.max(own, batch.minSpendFen),
          );
        }
      }),
      RUNS,
    );
  });

  it('chooses the combination best for the customer: most discount, then fewest vouchers, then smallest codes', () => {
    fc.assert(
      fc.property(input, ({ cart, candidates, context }) => {
        const codes = candidates.map((c) => c.code);
        fc.pre(new Set(codes).size === codes.length);
        const chosen = evaluate(cart, candidates, context);
        const chosenCodes = chosen.applied.map((a) => a.code);
        // Any subset that the engine would use whole is a combination the customer could have had.
        for (let mask = 1; mask < 1 << candidates.length; mask++) {
          const subset = candidates.filter((_, i) => (mask >> i) & 1);
          const alone = evaluate(cart, subset, context);
          if (alone.applied.length !== subset.length) continue;
          const subsetCodes = alone.applied.map((a) => a.code);
          expect(alone.discountFen).toBeLessThanOrEqual(chosen.discountFen);
          if (alone.discountFen < chosen.discountFen) continue;
          expect(subsetCodes.length).toBeGreaterThanOrEqual(chosenCodes.length);
          if (subsetCodes.length === chosenCodes.length)
            expect(subsetCodes.join(' ') >= chosenCodes.join(' ')).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every invariant with more candidates than the exhaustive search takes (greedy)', () => {
    const many = fc.record({
      cart: arbCart,
      candidates: fc.array(arbCandidate, { minLength: 13, maxLength: 18 }),
      context: arbContext,
    });
    fc.assert(
      fc.property(many, fc.nat(), ({ cart, candidates, context }, seed) => {
        const result = evaluate(cart, candidates, context);
        expect(Evaluation.safeParse(result).success).toBe(true);
        expect(result.applied.length + result.refused.length).toBe(candidates.length);
        expect(result.totalFen).toBe(result.subtotalFen - result.discountFen);
        for (const a of result.applied) {
          expect(a.discountFen).toBeGreaterThan(0);
          expect(a.allocations.reduce((s, p) => s + p.discountFen, 0)).toBe(a.discountFen);
        }
        const used = result.applied.map(
          (a) => keptCopy(candidates, a.code),
        );
        used.forEach((a, i) =>
          used.slice(i + 1).forEach((b) => expect(conflictsIndependently(a, b)).toBe(false)),
        );
        expect(
          evaluate(
            { ...cart, lines: shuffled(cart.lines, seed) },
            shuffled(candidates, seed + 1),
            context,
          ),
        ).toEqual(result);
      }),
      { numRuns: 150 },
    );
  });

  it('shows stacking never uses two conflicting vouchers together', () => {
    fc.assert(
      fc.property(input, ({ cart, candidates, context }) => {
        const result = evaluate(cart, candidates, context);
        const used = result.applied.map(
          (a) => keptCopy(candidates, a.code),
        );
        used.forEach((a, i) =>
          used.slice(i + 1).forEach((b) => expect(conflictsIndependently(a, b)).toBe(false)),
        );
        for (const a of used)
          expect(used.filter((b) => b.batch.id === a.batch.id).length).toBeLessThanOrEqual(
            a.batch.perOrderLimit,
          );
      }),
      RUNS,
    );
  });
});
