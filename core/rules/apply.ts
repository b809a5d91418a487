import type { Candidate } from '../vouchers';
import type { Fen } from '../money';
import { APPLICATION_RANK, applyBenefit } from './benefits';
import type { Eligibility } from './eligibility';
import type { OrderView } from './order';

/** A candidate that passed every per-candidate rule, with the lines it may discount. */
export interface Passing {
  readonly candidate: Candidate;
  readonly eligible: Eligibility;
}

/**
 * Indexes of `passing` in application order (see benefits.ts): by kind rank,
 * then by code. `passing` is already sorted by code, so a stable sort on the
 * rank alone is enough.
 */
export function applicationOrder(passing: readonly Passing[]): number[] {
  return passing
    .map((_, i) => i)
    .sort(
      (a, b) =>
        APPLICATION_RANK[passing[a]?.candidate.batch.benefit.kind ?? 'cash'] -
          APPLICATION_RANK[passing[b]?.candidate.batch.benefit.kind ?? 'cash'] || a - b,
    );
}

/** One voucher's share of one line. */
export interface LinePart {
  /** Index into OrderView.lines. */
  readonly line: number;
  readonly discountFen: Fen;
}

/** Each chosen voucher's parts (lineId order), indexed like `passing` (undefined when not chosen). */
export type PartsByVoucher = (LinePart[] | undefined)[];

/**
 * Applies the selected vouchers (selected[i] = 1 chooses passing[i]) in
 * application order, from the full line amounts. Returns the total discount
 * and, when `parts` is given, records each voucher's parts in it.
 */
export function applySelection(
  order: OrderView,
  passing: readonly Passing[],
  appOrder: readonly number[],
  selected: Uint8Array,
  parts?: PartsByVoucher,
): number {
  const remaining = [...order.amountFen];
  let total = 0;
  for (const v of appOrder) {
    if (selected[v] !== 1) continue;
    const p = passing[v];
    if (p === undefined) continue;
    const mine: LinePart[] = [];
    const record =
      parts === undefined
        ? undefined
        : (line: number, discountFen: Fen) => mine.push({ line, discountFen });
    total += applyBenefit(p.candidate.batch.benefit, order, p.eligible.lines, remaining, record);
    if (parts !== undefined) parts[v] = mine;
  }
  return total;
}
