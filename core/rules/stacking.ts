import { percentOf } from '../money';
import type { Reason } from '../reasons';
import { assertNever } from '../result';
import type { Candidate, EvaluationContext } from '../vouchers';
import { applicationOrder, applySelection, type PartsByVoucher, type Passing } from './apply';
import { applyBenefit } from './benefits';
import { usageOf } from './checks';
import type { OrderView } from './order';

/**
 * Which passing candidates an order uses together.
 *
 * Stacking: `exclusive` vouchers go alone; `other_kinds` ones never share an
 * order with another voucher of the same kind; `any` ones go with anything.
 * A pair conflicts when either side forbids it. Per batch, an order uses at
 * most min(perOrderLimit, what is left of the daily cap, what is left of the
 * customer's daily limit) codes.
 *
 * Among the allowed combinations the customer gets the largest total discount;
 * ties go to fewer vouchers (keep the rest for another day), then to the
 * lexicographically smallest sorted list of codes. Up to EXHAUSTIVE_LIMIT
 * passing candidates every combination is tried; beyond that a deterministic
 * greedy runs: candidates by their discount alone (largest first, then by
 * code), each added when allowed and when it raises the total.
 */
export const EXHAUSTIVE_LIMIT = 12;

/** True when two vouchers may not be used in the same order. */
export function conflicts(a: Candidate, b: Candidate): boolean {
  const sa = a.batch.stacking;
  const sb = b.batch.stacking;
  if (sa === 'exclusive' || sb === 'exclusive') return true;
  const sameKind = a.batch.benefit.kind === b.batch.benefit.kind;
  return sameKind && (sa === 'other_kinds' || sb === 'other_kinds');
}

/** How many codes of one batch an order may use, and the reason when one more is refused. */
interface BatchAllowance {
  readonly count: number;
  readonly reason: Reason;
}

function batchAllowance(candidate: Candidate, context: EvaluationContext): BatchAllowance {
  const { batch } = candidate;
  const used = usageOf(context, batch.id);
  let best: BatchAllowance = {
    count: batch.perOrderLimit,
    reason: { code: 'PER_ORDER_LIMIT', limit: batch.perOrderLimit },
  };
  if (batch.dailyCap !== null && batch.dailyCap - used.batch < best.count)
    best = {
      count: batch.dailyCap - used.batch,
      reason: { code: 'DAILY_CAP_REACHED', cap: batch.dailyCap },
    };
  if (
    batch.perCustomerDailyLimit !== null &&
    batch.perCustomerDailyLimit - used.customer < best.count
  )
    best = {
      count: batch.perCustomerDailyLimit - used.customer,
      reason: { code: 'CUSTOMER_DAILY_LIMIT', limit: batch.perCustomerDailyLimit },
    };
  return best;
}

export interface Combination {
  /** selected[i] = 1 when passing[i] is used. */
  readonly selected: Uint8Array;
  /** Parts of each used voucher, indexed like passing. */
  readonly parts: PartsByVoucher;
  /** Why each passing candidate left out was left out, indexed like passing. */
  readonly refusals: (Reason | undefined)[];
}

interface Rules {
  readonly conflictsWith: readonly (readonly number[])[];
  /** Group (batch) index of each passing candidate, and each group's allowance. */
  readonly group: readonly number[];
  readonly allowance: readonly BatchAllowance[];
}

function rulesOf(passing: readonly Passing[], context: EvaluationContext): Rules {
  const conflictsWith = passing.map((a, i) =>
    passing.flatMap((b, j) => (i !== j && conflicts(a.candidate, b.candidate) ? [j] : [])),
  );
  const groupOfBatch = new Map<string, number>();
  const allowance: BatchAllowance[] = [];
  const group = passing.map(({ candidate }) => {
    const own = batchAllowance(candidate, context);
    let g = groupOfBatch.get(candidate.batch.id);
    if (g === undefined) {
      g = allowance.length;
      groupOfBatch.set(candidate.batch.id, g);
      allowance.push(own);
    } else if (own.count < (allowance[g]?.count ?? 0)) {
      // Copies of one batch should agree; if a stale one does not, the stricter limit holds.
      allowance[g] = own;
    }
    return g;
  });
  return { conflictsWith, group, allowance };
}

/** Why `i` cannot join the selection, or null when it could. */
function blocker(
  i: number,
  selected: Uint8Array,
  passing: readonly Passing[],
  rules: Rules,
): Reason | null {
  for (const j of rules.conflictsWith[i] ?? []) {
    const other = passing[j];
    if (selected[j] === 1 && other !== undefined)
      return { code: 'NOT_STACKABLE', with: other.candidate.code };
  }
  const g = rules.group[i];
  const allowance = g === undefined ? undefined : rules.allowance[g];
  if (allowance !== undefined) {
    let used = 0;
    rules.group.forEach((h, j) => {
      if (h === g && selected[j] === 1) used += 1;
    });
    if (used >= allowance.count) return allowance.reason;
  }
  return null;
}

/** Strictly better for the customer: more discount, then fewer vouchers, then smaller codes. */
function better(total: number, sel: Uint8Array, bestTotal: number, best: Uint8Array): boolean {
  if (total !== bestTotal) return total > bestTotal;
  let size = 0;
  let bestSize = 0;
  for (let i = 0; i < sel.length; i++) {
    size += sel[i] ?? 0;
    bestSize += best[i] ?? 0;
  }
  if (size !== bestSize) return size < bestSize;
  // Same size: the smaller sorted code list holds the lowest index where they differ.
  for (let i = 0; i < sel.length; i++) if (sel[i] !== best[i]) return sel[i] === 1;
  return false;
}

/**
 * The most a voucher can ever add: its discount on the untouched order.
 * Every kind's discount only shrinks as earlier vouchers take their share
 * (min, percentages and bundle values are monotone in what is left).
 */
function mostItCanAdd(order: OrderView, p: Passing): number {
  const benefit = p.candidate.batch.benefit;
  const base = p.eligible.subtotalFen;
  switch (benefit.kind) {
    case 'cash':
    case 'threshold':
    case 'general':
      return Math.min(benefit.valueFen, base);
    case 'discount': {
      const off = percentOf(base, benefit.percentOffBp);
      return benefit.capFen === undefined ? off : Math.min(off, benefit.capFen);
    }
    case 'gift':
    case 'group_buy':
      return applyBenefit(benefit, order, p.eligible.lines, [...order.amountFen]);
    default:
      return assertNever(benefit, 'benefit');
  }
}

/**
 * Every allowed combination, as a depth-first walk over the vouchers in
 * application order, trying "with" before "without": each prefix is applied
 * once and shared by every combination that extends it. A branch is cut when
 * even the most its remaining compatible vouchers could add would not reach
 * the best total found so far (ties are still explored, so the tie-breaks
 * hold). A voucher that adds nothing at its turn is not included: every
 * combination with it is matched by the same one without it, which wins the
 * tie with fewer vouchers.
 */
function exhaustive(
  order: OrderView,
  passing: readonly Passing[],
  rules: Rules,
  appOrder: readonly number[],
): Uint8Array {
  const n = passing.length;
  const sel = new Uint8Array(n);
  let best = new Uint8Array(n);
  let bestTotal = 0;
  const groupCount = new Array<number>(rules.allowance.length).fill(0);
  const buffers = appOrder.map(() => new Array<number>(order.amountFen.length).fill(0));
  const most = passing.map((p) => mostItCanAdd(order, p));

  const canJoin = (v: number): boolean => {
    const g = rules.group[v] ?? 0;
    if ((groupCount[g] ?? 0) >= (rules.allowance[g]?.count ?? 0)) return false;
    for (const j of rules.conflictsWith[v] ?? []) if (sel[j] === 1) return false;
    return true;
  };

  const visit = (depth: number, remaining: readonly number[], total: number): void => {
    const v = appOrder[depth];
    if (v === undefined) {
      if (better(total, sel, bestTotal, best)) {
        best = sel.slice();
        bestTotal = total;
      }
      return;
    }
    let bound = total;
    for (let d = depth; d < appOrder.length; d++) {
      const w = appOrder[d] ?? 0;
      if (canJoin(w)) bound += most[w] ?? 0;
    }
    if (bound < bestTotal) return;
    const p = passing[v];
    if (p !== undefined && canJoin(v)) {
      const next = buffers[depth] ?? [];
      for (let k = 0; k < remaining.length; k++) next[k] = remaining[k] ?? 0;
      const added = applyBenefit(p.candidate.batch.benefit, order, p.eligible.lines, next);
      if (added > 0) {
        const g = rules.group[v] ?? 0;
        sel[v] = 1;
        groupCount[g] = (groupCount[g] ?? 0) + 1;
        visit(depth + 1, next, total + added);
        sel[v] = 0;
        groupCount[g] = (groupCount[g] ?? 0) - 1;
      }
    }
    visit(depth + 1, remaining, total);
  };
  visit(0, order.amountFen, 0);
  return best;
}

function greedy(
  order: OrderView,
  passing: readonly Passing[],
  rules: Rules,
  appOrder: readonly number[],
): Uint8Array {
  const n = passing.length;
  const alone = passing.map((_, i) => {
    const one = new Uint8Array(n);
    one[i] = 1;
    return applySelection(order, passing, appOrder, one);
  });
  const byValue = passing
    .map((_, i) => i)
    .sort((a, b) => (alone[b] ?? 0) - (alone[a] ?? 0) || a - b);
  const sel = new Uint8Array(n);
  let total = 0;
  for (const i of byValue) {
    if (blocker(i, sel, passing, rules) !== null) continue;
    sel[i] = 1;
    const next = applySelection(order, passing, appOrder, sel);
    if (next > total) total = next;
    else sel[i] = 0;
  }
  return sel;
}

/**
 * Chooses the vouchers to use among candidates that passed every rule
 * (`passing` sorted by code) and says why each other one is left out:
 * NOT_STACKABLE {with: the first chosen code it conflicts with}, the batch
 * limit that binds (PER_ORDER_LIMIT / DAILY_CAP_REACHED / CUSTOMER_DAILY_LIMIT),
 * or NOTHING_LEFT_TO_DISCOUNT when it could join but would not lower the total —
 * so a customer's voucher is never used up for nothing.
 */
export function chooseCombination(
  order: OrderView,
  passing: readonly Passing[],
  context: EvaluationContext,
): Combination {
  const rules = rulesOf(passing, context);
  const appOrder = applicationOrder(passing);
  const selected =
    passing.length <= EXHAUSTIVE_LIMIT
      ? exhaustive(order, passing, rules, appOrder)
      : greedy(order, passing, rules, appOrder);
  const parts: PartsByVoucher = [];
  applySelection(order, passing, appOrder, selected, parts);
  // The greedy can end with a voucher whose share later ones took over; it must not be used up for 0.
  selected.forEach((s, i) => {
    if (s === 1 && (parts[i]?.length ?? 0) === 0) {
      selected[i] = 0;
      parts[i] = undefined;
    }
  });
  const refusals = passing.map((_, i) =>
    selected[i] === 1
      ? undefined
      : (blocker(i, selected, passing, rules) ?? ({ code: 'NOTHING_LEFT_TO_DISCOUNT' } as const)),
  );
  return { selected, parts, refusals };
}
