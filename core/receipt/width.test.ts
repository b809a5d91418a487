import { describe, expect, it } from 'vitest';
import { spread, textWidth, truncateText, wrapText } from './width';

describe('receipt text width', () => {
  it('counts Chinese, full-width ￥ and other non-ASCII characters as two columns', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('咖啡')).toBe(4);
    expect(textWidth('￥1.00')).toBe(6);
    expect(textWidth('2×3')).toBe(4);
  });

  it('spreads two texts over exactly the given width', () => {
    expect(spread('小计', '￥12.50', 20)).toBe(`小计${' '.repeat(9)}￥12.50`);
    expect(textWidth(spread('一二三四五六七八九十', '￥99.00', 16))).toBe(16);
  });

  it('truncates on a character boundary and marks the cut', () => {
    expect(truncateText('一二三四五', 6)).toBe('一二.');
    expect(textWidth(truncateText('一二三四五', 7))).toBeLessThanOrEqual(7);
  });

  it('wraps at spaces when it can and never exceeds the width', () => {
    expect(wrapText('Hokkaido milk bread', 10)).toEqual(['Hokkaido', 'milk bread']);
    for (const line of wrapText('北海道牛乳吐司限定款加厚切片装', 7)) {
      expect(textWidth(line)).toBeLessThanOrEqual(7);
    }
  });
});
