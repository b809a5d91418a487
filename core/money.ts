import { z } from 'zod';
import { err, ok, type Result } from './result';

/**
 * Money is an integer number of fen (1 yuan = 100 fen) everywhere: storage,
 * protocol and rules. Floats never hold money; yuan text exists only at the
 * edges (parseYuan / formatFen).
 *
 * Rounding rule, used by every ratio in Tillpoint: half-up to the fen
 * (0.5 fen rounds away from zero towards the customer's payable amount,
 * i.e. 12.5 fen -> 13 fen). Allocation across lines uses largest remainder,
 * so the parts always sum exactly to the whole.
 */
export const Fen = z
  .number()
  .int('money must be a whole number of fen')
  .min(0, 'money cannot be negative')
  .max(Number.MAX_SAFE_INTEGER, 'amount is too large')
  .brand<'Fen'>();
export type Fen = z.infer<typeof Fen>;

export type MoneyErrorCode = 'NOT_INTEGER' | 'NEGATIVE' | 'TOO_LARGE' | 'NOT_A_NUMBER';

export class MoneyError extends Error {
  override readonly name = 'MoneyError';
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const ZERO = 0 as Fen;

/** Checks a number is a valid amount of money; returns a value, never throws. */
export function checkFen(n: number): Result<Fen, MoneyErrorCode> {
  if (typeof n !== 'number' || Number.isNaN(n))
    return err('NOT_A_NUMBER', `${String(n)} is not a number of fen`);
  if (n === Number.POSITIVE_INFINITY)
    return err('TOO_LARGE', `${n} fen is too large to count exactly`);
  if (n < 0) return err('NEGATIVE', `${n} fen is negative; an amount must be 0 or more`);
  if (!Number.isInteger(n)) return err('NOT_INTEGER', `${n} is not a whole number of fen`);
  if (n > Number.MAX_SAFE_INTEGER)
    return err('TOO_LARGE', `${n} fen is too large to count exactly`);
  // -0 would survive JSON as 0 but not Object.is; money has one zero.
  return ok((n === 0 ? 0 : n) as Fen);
}

/** Makes a Fen from a trusted number; throws MoneyError on a programming error. */
export function fen(n: number): Fen {
  const r = checkFen(n);
  if (!r.ok) throw new MoneyError(r.code, r.message);
  return r.value;
}

/**
 * Yuan as a JS number → fen, half-up (for tests and constants; parse text with
 * parseYuan). Rounding to 15 significant digits first undoes binary noise, so
 * yuan(1.005) is 101 fen, not 100.
 */
export const yuan = (y: number): Fen => fen(Math.round(Number((y * 100).toPrecision(15))));

export function addFen(...parts: readonly Fen[]): Fen {
  let sum = 0;
  for (const p of parts) sum += p;
  return fen(sum);
}

/** a - b, never below zero (a payable amount cannot go negative). */
export const subFenFloor = (a: Fen, b: Fen): Fen => (a > b ? fen(a - b) : ZERO);

export function mulFen(amount: Fen, quantity: number): Fen {
  if (!Number.isInteger(quantity) || quantity < 0)
    throw new MoneyError('NOT_INTEGER', `quantity ${quantity} must be a whole number ≥ 0`);
  return fen(amount * quantity);
}

/** round(numerator / denominator) half-up, exact even beyond 2^53 intermediate products. */
function divHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** amount × basisPoints / 10 000, half-up to the fen (2 000 bp = 20 %). */
export function percentOf(amount: Fen, basisPoints: number): Fen {
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000)
    throw new MoneyError('NOT_INTEGER', `percentage ${basisPoints} bp must be 0..10000`);
  return fen(Number(divHalfUp(BigInt(amount) * BigInt(basisPoints), 10_000n)));
}

/** amount × numerator / denominator, half-up to the fen. */
export function ratioOf(amount: Fen, numerator: number, denominator: number): Fen {
  if (
    !Number.isInteger(numerator) ||
    !Number.isInteger(denominator) ||
    denominator <= 0 ||
    numerator < 0
  )
    throw new MoneyError(
      'NOT_INTEGER',
      `ratio ${numerator}/${denominator} must be whole, ≥ 0 over > 0`,
    );
  return fen(Number(divHalfUp(BigInt(amount) * BigInt(numerator), BigInt(denominator))));
}

/**
 * Splits `total` across parts in proportion to `weights` so that the parts sum
 * exactly to `total` (largest-remainder method). Ties in the remainder go to the
 * earlier part, so callers that need order independence pass parts in a
 * canonical order. A part never exceeds its weight when total ≤ sum(weights).
 */
export function allocate(total: Fen, weights: readonly Fen[]): Fen[] {
  const n = weights.length;
  if (n === 0) {
    if (total !== 0) throw new MoneyError('TOO_LARGE', 'cannot allocate money across nothing');
    return [];
  }
  let numberSum = 0;
  for (const w of weights) numberSum += w;
  if (numberSum > 0 && total * numberSum <= Number.MAX_SAFE_INTEGER)
    return allocateExact(total, weights, numberSum);
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) {
    // Nothing to weigh by: equal split, remainder to the earliest parts.
    const base = Math.floor(total / n);
    const extra = total - base * n;
    return weights.map((_, i) => fen(base + (i < extra ? 1 : 0)));
  }
  const t = BigInt(total);
  const floors: bigint[] = [];
  const remainders: { i: number; r: bigint }[] = [];
  let allocated = 0n;
  weights.forEach((w, i) => {
    const exact = t * BigInt(w);
    const q = exact / sum;
    floors.push(q);
    allocated += q;
    remainders.push({ i, r: exact % sum });
  });
  let left = t - allocated;
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    floors[i] = (floors[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return floors.map((f) => fen(Number(f)));
}

/** Ascending, in place; beats the native sort on the short arrays of a cart. */
function insertionSort(a: number[]): void {
  for (let i = 1; i < a.length; i++) {
    const x = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > x) {
      a[j + 1] = a[j] as number;
      j -= 1;
    }
    a[j + 1] = x;
  }
}

/**
 * allocate() for the common case where every product total × weight fits in a
 * double exactly (checked by the caller): the same result without BigInt,
 * because the rule engine calls it many times in its combination search.
 */
function allocateExact(total: number, weights: readonly Fen[], sum: number): Fen[] {
  const n = weights.length;
  // Plain arrays: creating typed arrays costs more than this whole loop on a cart's few lines.
  const parts: number[] = [];
  const rest: number[] = [];
  let allocated = 0;
  for (let i = 0; i < n; i++) {
    const exact = total * (weights[i] as number);
    // Division then correction: exact, and far cheaper than the double `%` (fmod).
    let q = Math.floor(exact / sum);
    let r = exact - q * sum;
    if (r < 0) {
      q -= 1;
      r += sum;
    } else if (r >= sum) {
      q += 1;
      r -= sum;
    }
    parts.push(q);
    rest.push(r);
    allocated += q;
  }
  let left = total - allocated;
  if (left === 0) return parts as Fen[];
  if (sum * 1_024 <= Number.MAX_SAFE_INTEGER && n < 1_024) {
    // Pack (remainder desc, index asc) into one number so a native numeric sort orders them.
    const keys: number[] = [];
    for (let i = 0; i < n; i++) keys.push((rest[i] as number) * 1_024 + (1_023 - i));
    if (n <= 64) insertionSort(keys);
    else keys.sort((a, b) => a - b);
    for (let k = n - 1; k >= 0 && left > 0; k--, left--) {
      const i = 1_023 - ((keys[k] as number) % 1_024);
      parts[i] = (parts[i] as number) + 1;
    }
    return parts as Fen[];
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (rest[b] as number) - (rest[a] as number) || a - b);
  for (let k = 0; k < n && left > 0; k++, left--) {
    const i = order[k] as number;
    parts[i] = (parts[i] as number) + 1;
  }
  return parts as Fen[];
}

export type ParseMoneyCode =
  'EMPTY' | 'BAD_FORMAT' | 'TOO_MANY_DECIMALS' | 'NEGATIVE' | 'TOO_LARGE';

/**
 * Parses what a person types or a file holds: "¥1,234.50", "￥12", "1234.5",
 * "0.05". At most two decimals; grouping commas must be in groups of three.
 */
export function parseYuan(text: string): Result<Fen, ParseMoneyCode> {
  const s = text.trim().replace(/^[¥￥]\s*/, '');
  if (s === '') return err('EMPTY', 'Enter an amount, e.g. 12.50');
  if (s.startsWith('-'))
    return err('NEGATIVE', `"${text}" is negative; enter an amount of 0 or more`);
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(s);
  if (!m)
    return err('BAD_FORMAT', `"${text}" is not an amount; use digits like 1234.50 or ¥1,234.50`);
  const whole = (m[1] ?? '').replaceAll(',', '');
  const decimals = m[2] ?? '';
  if (decimals.length > 2)
    return err(
      'TOO_MANY_DECIMALS',
      `"${text}" has more than two decimals; money is counted to the fen (0.01)`,
    );
  const total = BigInt(whole) * 100n + BigInt((decimals + '00').slice(0, 2));
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) return err('TOO_LARGE', `"${text}" is too large`);
  return ok(Number(total) as Fen);
}

export interface FormatOptions {
  /** '¥' on screen; receipts printed in GB18030 use the full-width '￥'. */
  readonly symbol?: string;
  readonly grouping?: boolean;
}

/** 123450 fen -> "¥1,234.50". */
export function formatFen(amount: Fen, options: FormatOptions = {}): string {
  const { symbol = '¥', grouping = true } = options;
  const whole = Math.floor(amount / 100);
  const cents = String(amount % 100).padStart(2, '0');
  const wholeText = grouping
    ? whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    : String(whole);
  return `${symbol}${wholeText}.${cents}`;
}
