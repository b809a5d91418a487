import { describe, expect, it } from 'vitest';
import {
  CODE128_PATTERNS,
  code128Bars,
  code128Modules,
  code128Segments,
  code128Symbols,
  type Code128Segment,
} from './code128';

const segments = (data: string): Code128Segment[] => {
  const s = code128Segments(data);
  if (s === null) throw new Error(`${data} is not Code 128`);
  return s;
};

/** The barcode as a string of modules, 1 for bar and 0 for space. */
const modules = (data: string): string => {
  const s = segments(data);
  const out = Array<string>(code128Modules(s)).fill('0');
  for (const [x, w] of code128Bars(s)) out.fill('1', x, x + w);
  return out.join('');
};

describe('Code 128', () => {
  it('has 107 distinct patterns of 11 modules (13 for the stop) with an even number of bar modules', () => {
    expect(CODE128_PATTERNS).toHaveLength(107);
    expect(new Set(CODE128_PATTERNS).size).toBe(107);
    CODE128_PATTERNS.forEach((p, value) => {
      const widths = Array.from(p, Number);
      expect(widths.reduce((a, b) => a + b, 0)).toBe(value === 106 ? 13 : 11);
      expect(widths.filter((_, k) => k % 2 === 0).reduce((a, b) => a + b, 0) % 2).toBe(0);
    });
  });

  it('computes the check symbol as the weighted sum modulo 103', () => {
    // Start B, P J J 1 2 3 C: 104 + 48 + 2·42 + 3·42 + 4·17 + 5·18 + 6·19 + 7·35 = 879 ≡ 55.
    expect(code128Symbols(segments('PJJ123C'))).toEqual([104, 48, 42, 42, 17, 18, 19, 35, 55, 106]);
  });

  it('draws bars that a barcode reader decodes (pinned from zbarimg 0.23.92 reading them)', () => {
    expect(modules('S-4001')).toBe(
      '110100100001101110100010011011100101110111101100010100011001101100111001011001100011101011',
    );
  });

  it('pairs digits in code set C where that makes the barcode narrower', () => {
    expect(segments('1234567890')).toEqual([{ set: 'C', text: '1234567890' }]);
    expect(segments('S-4001')).toEqual([
      { set: 'B', text: 'S-' },
      { set: 'C', text: '4001' },
    ]);
    expect(segments('6901234567892')).toEqual([
      { set: 'B', text: '6' },
      { set: 'C', text: '901234567892' },
    ]);
    // Two digits in the middle are not worth two set switches.
    expect(segments('x12y')).toEqual([{ set: 'B', text: 'x12y' }]);
  });

  it('never uses more symbols than set B alone', () => {
    for (const data of ['TP-8F3K-29QZ', 'A1B2C3', '12', '1', '123', 'AB123456cd{x}~ !']) {
      const best = code128Modules(segments(data));
      expect(best).toBeLessThanOrEqual(code128Modules([{ set: 'B', text: data }]));
    }
  });

  it('measures 11 modules a symbol plus 13 for the stop', () => {
    // Start, 14 characters, check: 16 symbols of 11, then the stop.
    expect(code128Modules(segments('TILLPOINT-TEST'))).toBe(16 * 11 + 13);
    // 28 digits are 14 pairs in set C: the same width as 14 letters.
    expect(code128Modules(segments('1234567890123456789012345678'))).toBe(16 * 11 + 13);
  });

  it('refuses data Code 128 sets B and C cannot hold', () => {
    expect(code128Segments('')).toBeNull();
    expect(code128Segments('单号123')).toBeNull();
    expect(code128Segments('A\tB')).toBeNull();
    expect(code128Segments('X'.repeat(61))).toBeNull();
  });
});
