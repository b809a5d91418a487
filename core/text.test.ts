import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnsafeCharacter, SafeText } from './text';

/** encodeURIComponent throws on exactly the strings that are not well-formed UTF-16. */
const wellFormed = (s: string): boolean => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};

describe('findUnsafeCharacter', () => {
  it('accepts Chinese text, emoji (surrogate pairs) and ordinary punctuation', () => {
    expect(findUnsafeCharacter('上海徐汇店 🍜 Till #1 (¥12.34)')).toBeNull();
  });

  it.each([
    ['NUL', 'ab\u0000c', 2, 0x00],
    ['a line break', 'ab\nc', 2, 0x0a],
    ['a tab', '\tab', 0, 0x09],
    ['ESC', 'a\u001b[2J', 1, 0x1b],
    ['DEL', 'a\u007f', 1, 0x7f],
    ['a C1 control', 'a\u0085', 1, 0x85],
  ])('finds %s as a control character where it is', (_what, text, index, codePoint) => {
    expect(findUnsafeCharacter(text)).toEqual({ index, codePoint, kind: 'control' });
  });

  it.each([
    ['a high surrogate at the end', 'ab\ud83c', 2, 0xd83c],
    ['a high surrogate before a letter', 'a\ud83cb', 1, 0xd83c],
    ['a low surrogate alone', 'a\udf5cb', 1, 0xdf5c],
    ['two low surrogates after a pair', '\ud83c\udf5c\udf5c', 2, 0xdf5c],
  ])('finds %s as a lone surrogate', (_what, text, index, codePoint) => {
    expect(findUnsafeCharacter(text)).toEqual({ index, codePoint, kind: 'lone_surrogate' });
  });

  it('agrees with the well-formed, control-free reading of any string', () => {
    // Single UTF-16 units (lone surrogates among them) mixed with whole code points (pairs).
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.constantFrom('\ud83c', '\udf5c', '\u0000', 'a'),
    );
    fc.assert(
      fc.property(fc.string({ unit }), (s) => {
        // eslint-disable-next-line no-control-regex
        const clean = wellFormed(s) && !/[\u0000-\u001f\u007f-\u009f]/.test(s);
        expect(findUnsafeCharacter(s) === null).toBe(clean);
      }),
    );
  });
});

describe('SafeText', () => {
  it('says what is wrong and what to do', () => {
    const r = SafeText.safeParse('Till\u0000 1');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(
      'contains the control character U+0000 at position 4; remove it (text fields take no control characters, line breaks and tabs included)',
    );
    expect(SafeText.safeParse('x\ud800').error?.issues[0]?.message).toContain(
      'unpaired UTF-16 surrogate U+D800',
    );
  });

  it('keeps the checks a field adds after it', () => {
    expect(SafeText.min(2).safeParse('a').success).toBe(false);
    expect(SafeText.min(2).safeParse('ab').success).toBe(true);
  });
});
