import { describe, expect, it } from 'vitest';
import { basisPoints, isBelow, percentText, rateOf } from './rate';

describe('rates', () => {
  it('round to basis points half-up, exactly', () => {
    expect(basisPoints({ num: 1, den: 3 })).toBe(3333);
    expect(basisPoints({ num: 2, den: 3 })).toBe(6667);
    expect(basisPoints({ num: 1, den: 20_000 })).toBe(1); // 0.5 bp rounds up
    expect(basisPoints({ num: 7, den: 7 })).toBe(10_000);
  });

  it('compare with a threshold without rounding first', () => {
    // 4.9996% rounds to 500 bp but is still under 5%.
    expect(isBelow({ num: 49_996, den: 1_000_000 }, 500)).toBe(true);
    expect(isBelow({ num: 5, den: 100 }, 500)).toBe(false);
  });

  it('have no value without a denominator and print as percent', () => {
    expect(rateOf(0, 0)).toBeNull();
    expect(percentText(1234)).toBe('12.34%');
    expect(percentText(5)).toBe('0.05%');
  });
});
