/**
 * A rate is an exact rational of two counts, never a float: 1/3 stays 1/3 until an edge
 * formats it. `null` stands for "no denominator yet" (no views, no claims), which is not 0%.
 */
export interface Rate {
  readonly num: number;
  readonly den: number;
}

/** num / den, or null when den is 0. Counts are whole and num ≤ den for every figure here. */
export const rateOf = (num: number, den: number): Rate | null => (den === 0 ? null : { num, den });

/** The rate in basis points (1% = 100), half-up: 1/3 → 3333, 2/3 → 6667. */
export function basisPoints(rate: Rate): number {
  const n = BigInt(rate.num) * 20_000n + BigInt(rate.den);
  return Number(n / (2n * BigInt(rate.den)));
}

/** rate < bp / 10 000, compared exactly (no rounding of the rate first). */
export const isBelow = (rate: Rate, bp: number): boolean =>
  BigInt(rate.num) * 10_000n < BigInt(bp) * BigInt(rate.den);

/** 1234 bp → "12.34%": the one way a rate is printed. */
export const percentText = (bp: number): string =>
  `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
