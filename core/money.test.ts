import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addFen,
  allocate,
  checkFen,
  type Fen,
  fen,
  formatFen,
  MoneyError,
  mulFen,
  parseYuan,
  percentOf,
  ratioOf,
  subFenFloor,
  yuan,
} from './money';

const codeOf = (n: number): string | null => {
  const r = checkFen(n);
  return r.ok ? null : r.code;
};

describe('Fen constructors', () => {
  it.each([
    [1.5, 'NOT_INTEGER'],
    [0.1 + 0.2, 'NOT_INTEGER'],
    [Number.NaN, 'NOT_A_NUMBER'],
    [-1, 'NEGATIVE'],
    [-0.5, 'NEGATIVE'],
    [Number.NEGATIVE_INFINITY, 'NEGATIVE'],
    [Number.POSITIVE_INFINITY, 'TOO_LARGE'],
    [Number.MAX_SAFE_INTEGER + 1, 'TOO_LARGE'],
  ])('rejects %s with %s', (n, code) => {
    expect(codeOf(n)).toBe(code);
  });

  it('accepts whole amounts from 0 to MAX_SAFE_INTEGER', () => {
    expect(checkFen(0)).toEqual({ ok: true, value: 0 });
    expect(checkFen(Number.MAX_SAFE_INTEGER)).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER });
  });

  it('has one zero: -0 becomes 0', () => {
    expect(Object.is(fen(-0), 0)).toBe(true);
  });

  it('throws a MoneyError with a code from fen() on a programming error', () => {
    expect(() => fen(1.5)).toThrow(MoneyError);
    try {
      fen(-3);
    } catch (e) {
      expect((e as MoneyError).code).toBe('NEGATIVE');
      expect((e as MoneyError).message).toMatch(/negative/);
    }
  });

  it('turns yuan numbers into fen half-up, without binary noise', () => {
    expect(yuan(12.34)).toBe(1_234);
    expect(yuan(1.005)).toBe(101);
    expect(yuan(0.1 + 0.2)).toBe(30);
  });
});

describe('arithmetic', () => {
  it('adds, and refuses a sum too large to count exactly', () => {
    expect(addFen(fen(1), fen(2), fen(3))).toBe(6);
    expect(() => addFen(fen(Number.MAX_SAFE_INTEGER), fen(1))).toThrow(MoneyError);
  });

  it('subtracts without going below zero', () => {
    expect(subFenFloor(fen(500), fen(200))).toBe(300);
    expect(subFenFloor(fen(200), fen(500))).toBe(0);
  });

  it('multiplies by whole quantities only', () => {
    expect(mulFen(fen(1_250), 3)).toBe(3_750);
    expect(() => mulFen(fen(100), 1.5)).toThrow(MoneyError);
  });

  it.each([
    [fen(1_000), 2_000, 200],
    [fen(3), 2_000, 1], // 0.6 → 1
    [fen(5), 1_000, 1], // 0.5 → 1 (half-up)
    [fen(4), 1_000, 0], // 0.4 → 0
    [fen(15), 5_000, 8], // 7.5 → 8
    [fen(12_345), 10_000, 12_345],
    [fen(12_345), 0, 0],
  ])('percentOf(%i, %i bp) = %i, rounded half-up', (amount, bp, expected) => {
    expect(percentOf(amount, bp)).toBe(expected);
  });

  it('stays exact for amounts whose products pass 2^53', () => {
    expect(percentOf(fen(Number.MAX_SAFE_INTEGER), 5_000)).toBe(4_503_599_627_370_496);
  });

  it('refuses a percentage outside 0..10 000 bp', () => {
    expect(() => percentOf(fen(100), 10_001)).toThrow(MoneyError);
    expect(() => percentOf(fen(100), 12.5)).toThrow(MoneyError);
  });

  it('computes ratios half-up', () => {
    expect(ratioOf(fen(100), 1, 3)).toBe(33);
    expect(ratioOf(fen(100), 2, 3)).toBe(67);
    expect(ratioOf(fen(1), 1, 2)).toBe(1);
    expect(() => ratioOf(fen(1), 1, 0)).toThrow(MoneyError);
  });
});

/** Largest remainder written the slow, obvious way, to check allocate() against. */
function referenceAllocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) {
    const base = Math.floor(total / weights.length);
    return weights.map((_, i) => base + (i < total - base * weights.length ? 1 : 0));
  }
  const exact = weights.map((w) => BigInt(total) * BigInt(w));
  const parts = exact.map((e) => e / sum);
  let left = BigInt(total) - parts.reduce((s, p) => s + p, 0n);
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = (exact[a] ?? 0n) % sum;
      const rb = (exact[b] ?? 0n) % sum;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
  for (const i of order) {
    if (left === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

describe('allocate (largest remainder)', () => {
  it('splits ¥1.00 over three equal lines as 34/33/33, the extra fen to the first', () => {
    expect(allocate(fen(100), [fen(1), fen(1), fen(1)])).toEqual([34, 33, 33]);
  });

  it('follows the weights', () => {
    expect(allocate(fen(900), [fen(3_000), fen(1_800)])).toEqual([563, 337]);
    expect(allocate(fen(10), [fen(0), fen(5)])).toEqual([0, 10]);
  });

  it('splits equally when every weight is zero', () => {
    expect(allocate(fen(5), [fen(0), fen(0)])).toEqual([3, 2]);
  });

  it('refuses to allocate money across nothing', () => {
    expect(allocate(fen(0), [])).toEqual([]);
    expect(() => allocate(fen(1), [])).toThrow(MoneyError);
  });

  it('always sums exactly, never exceeds a weight, and matches the reference (small and huge amounts)', () => {
    const amount = fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    );
    fc.assert(
      fc.property(
        fc.array(amount, { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, share) => {
          const sum = weights.reduce((s, w) => s + w, 0);
          const total = Math.min(
            Number.MAX_SAFE_INTEGER,
            Math.floor(Math.min(sum, Number.MAX_SAFE_INTEGER) * share),
          );
          const parts = allocate(fen(total), weights.map(fen));
          expect(parts.reduce((s, p) => s + BigInt(p), 0n)).toBe(BigInt(total));
          if (sum > 0) parts.forEach((p, i) => expect(p).toBeLessThanOrEqual(weights[i] ?? 0));
          expect(parts).toEqual(referenceAllocate(total, weights));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseYuan', () => {
  it.each([
    ['¥1,234.50', 123_450],
    ['￥12', 1_200],
    ['1234.5', 123_450],
    ['0.05', 5],
    ['  ¥ 8.00 ', 800],
    ['1,000,000', 100_000_000],
    ['007', 700],
  ])('reads %s as %i fen', (text, expected) => {
    expect(parseYuan(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'EMPTY'],
    ['¥', 'EMPTY'],
    ['-5', 'NEGATIVE'],
    ['¥-5', 'NEGATIVE'],
    ['1.234', 'TOO_MANY_DECIMALS'],
    ['12,34', 'BAD_FORMAT'],
    ['1 234', 'BAD_FORMAT'],
    ['abc', 'BAD_FORMAT'],
    ['1e3', 'BAD_FORMAT'],
    ['12.3.4', 'BAD_FORMAT'],
    ['99999999999999999999', 'TOO_LARGE'],
  ])('refuses %j with %s and a message that says what to type', (text, code) => {
    const r = parseYuan(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it('round-trips with formatFen for any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parseYuan(formatFen(n as Fen))).toEqual({ ok: true, value: n });
      }),
    );
  });
});

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [123_450, '¥1,234.50'],
    [100_000_000, '¥1,000,000.00'],
  ])('formats %i fen as %s', (n, text) => {
    expect(formatFen(fen(n))).toBe(text);
  });

  it('uses the full-width sign and no grouping when asked (GB18030 receipts)', () => {
    expect(formatFen(fen(123_450), { symbol: '￥', grouping: false })).toBe('￥1234.50');
  });
});
