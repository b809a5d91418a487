import { fen, type Fen } from '../money';
import type { AppliedVoucher, Evaluation, Reason, RefusedVoucher } from '../reasons';
import type { Candidate, Cart, EvaluationContext } from '../vouchers';
import type { Passing } from './apply';
import { checkWithCart, checkWithoutCart, momentOf } from './checks';
import { orderView } from './order';
import { chooseCombination } from './stacking';

/**
 * Ties between candidates with the same code (the same code scanned twice, or
 * sent twice) are broken by their content, so which copy is kept never depends
 * on input order.
 */
function canonicalText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalText((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

function byCode(a: Candidate, b: Candidate): number {
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  const ta = canonicalText(a);
  const tb = canonicalText(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/**
 * Candidates in the order evaluate() takes them: by code, copies of one code in a fixed order of
 * their content, so which copy of a code counts (the first) never depends on the input order.
 */
export function inEvaluationOrder(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates].sort(byCode);
}

/**
 * The rule engine: which vouchers apply to a cart, what each takes off which
 * line, and why each other one is refused. Pure and deterministic: the same
 * inputs give a deep-equal result whatever the order of candidates or lines.
 *
 * 1. Candidates are sorted by code; extra copies of a code → DUPLICATE_IN_ORDER.
 * 2. Each candidate runs the per-candidate rules in their fixed order (checks.ts).
 * 3. Among those that pass, stacking picks the combination best for the
 *    customer (stacking.ts); benefits apply in a canonical order on what is
 *    left of each line (benefits.ts).
 *
 * `applied` and `refused` are sorted by code, allocations by lineId;
 * discountFen is the sum of the applied discounts and totalFen = subtotal − discount.
 * Inputs are trusted to match their zod schemas (validate at the process
 * boundary); an unknown time zone in the context is a programming error and throws.
 */
export function evaluate(
  cart: Cart,
  candidates: readonly Candidate[],
  context: EvaluationContext,
): Evaluation {
  const order = orderView(cart);
  const moment = momentOf(context);
  const sorted = inEvaluationOrder(candidates);
  const refused: RefusedVoucher[] = [];
  const passing: Passing[] = [];
  const refuse = (candidate: Candidate, reason: Reason): void => {
    refused.push({ code: candidate.code, reason });
  };

  sorted.forEach((candidate, i) => {
    if (i > 0 && sorted[i - 1]?.code === candidate.code) {
      refuse(candidate, { code: 'DUPLICATE_IN_ORDER' });
      return;
    }
    const withoutCart = checkWithoutCart(candidate, moment);
    if (withoutCart !== null) {
      refuse(candidate, withoutCart);
      return;
    }
    const withCart = checkWithCart(candidate, order);
    if (!withCart.ok) refuse(candidate, withCart.reason);
    else passing.push({ candidate, eligible: withCart.eligible });
  });

  const combination = chooseCombination(order, passing, context);
  const applied: AppliedVoucher[] = [];
  let discount = 0;
  passing.forEach(({ candidate }, i) => {
    const parts = combination.parts[i];
    if (parts === undefined) {
      const reason = combination.refusals[i];
      if (reason !== undefined) refuse(candidate, reason);
      return;
    }
    let voucherDiscount = 0;
    const allocations = [...parts]
      .sort((a, b) => a.line - b.line)
      .map(({ line, discountFen }) => {
        voucherDiscount += discountFen;
        const lineId = order.lines[line]?.lineId;
        if (lineId === undefined)
          throw new Error(`allocation to a line that does not exist: ${line}`);
        return { lineId, discountFen };
      });
    discount += voucherDiscount;
    applied.push({
      code: candidate.code,
      batchId: candidate.batch.id,
      kind: candidate.batch.benefit.kind,
      discountFen: voucherDiscount as Fen,
      allocations,
    });
  });

  // Duplicates were refused before the others; re-sort so refused is by code throughout.
  refused.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    applied,
    refused,
    subtotalFen: order.subtotalFen,
    discountFen: fen(discount),
    totalFen: fen(Math.max(0, order.subtotalFen - discount)),
  };
}
