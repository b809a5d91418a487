import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fitPrintable,
  isPrintableCodePoint,
  printableText,
  REPLACEMENT_MARK,
  substitutionLog,
} from './printable-text';

const allPrintable = (text: string): boolean =>
  Array.from(text).every((ch) => isPrintableCodePoint(ch.codePointAt(0) ?? 0));

describe('text a GBK receipt printer can print', () => {
  it('leaves Chinese, ASCII, full-width forms and GBK symbols as they are', () => {
    const text = '拿铁咖啡 Latte ￥32.00 ①×2 — “限定” café ℃ 、。';
    expect(fitPrintable(text)).toEqual({ text, substitutions: [] });
  });

  it('prints the yen/yuan sign ¥ as the full-width ￥ GBK has', () => {
    expect(fitPrintable('¥12.50')).toEqual({
      text: '￥12.50',
      substitutions: [{ original: '¥', printed: '￥' }],
    });
  });

  it('replaces an emoji with the mark, once per emoji however many code points it has', () => {
    expect(printableText('汉堡🍔')).toBe(`汉堡${REPLACEMENT_MARK}`);
    // A family (ZWJ sequence), a flag (two regional indicators), a heart with its selector.
    expect(printableText('👨‍👩‍👧🇨🇳❤️')).toBe(REPLACEMENT_MARK.repeat(3));
  });

  it('replaces rare CJK outside GBK (extension A and B) with the mark', () => {
    expect(fitPrintable('吉𠮷家 王䶮')).toEqual({
      text: `吉${REPLACEMENT_MARK}家 王${REPLACEMENT_MARK}`,
      substitutions: [
        { original: '𠮷', printed: REPLACEMENT_MARK },
        { original: '䶮', printed: REPLACEMENT_MARK },
      ],
    });
  });

  it('keeps the letter of an accented letter GBK lacks, and the GBK accents it has', () => {
    expect(printableText('Crème brûlée, jalapeño, Façade')).toBe('Crème brulée, jalapeno, Facade');
  });

  it('uses the compatibility form where GBK has it: half-width katakana, superscripts', () => {
    expect(printableText('ｶﾀｶﾅ m²')).toBe('カタカナ m2');
  });

  it('spells out signs GBK has no form of', () => {
    expect(printableText('€5 ©2026 Tillpoint™ ½ • ✓')).toBe('EUR5 (C)2026 TillpointTM 1/2 · √');
  });

  it('drops controls and invisible characters without reporting them, and turns tabs into spaces', () => {
    expect(fitPrintable('A\x1bB\u200bC\u00adD\tE\n')).toEqual({
      text: 'ABCD E',
      substitutions: [],
    });
  });

  it('does not report an accent that only needed composing', () => {
    expect(fitPrintable('cafe\u0301')).toEqual({ text: 'café', substitutions: [] });
  });

  it('reports each replaced character once, in the order it first appears', () => {
    expect(fitPrintable('🍔¥🍔¥').substitutions).toEqual([
      { original: '🍔', printed: REPLACEMENT_MARK },
      { original: '¥', printed: '￥' },
    ]);
  });

  it('always gives printable text, and fitting it again changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const once = printableText(text);
        expect(allPrintable(once)).toBe(true);
        expect(printableText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = printableText(text);
        expect(allPrintable(once)).toBe(true);
        expect(printableText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('collects the substitutions of many texts once each', () => {
    const log = substitutionLog();
    expect([log.fit('¥1'), log.fit('🍔'), log.fit('¥2')]).toEqual(['￥1', REPLACEMENT_MARK, '￥2']);
    expect(log.substitutions).toEqual([
      { original: '¥', printed: '￥' },
      { original: '🍔', printed: REPLACEMENT_MARK },
    ]);
  });

  it('counts the mark itself as printable: it is in GB2312', () => {
    expect(isPrintableCodePoint(REPLACEMENT_MARK.codePointAt(0) ?? 0)).toBe(true);
    expect(isPrintableCodePoint(0xa5)).toBe(false);
    expect(isPrintableCodePoint(0x20ac)).toBe(false);
    expect(isPrintableCodePoint(0x4e00)).toBe(true);
    expect(isPrintableCodePoint(0x1f354)).toBe(false);
  });
});
