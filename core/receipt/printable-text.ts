import { GBK_RANGES } from './gbk-ranges';

/**
 * What a Chinese receipt printer can print, and what every other character
 * becomes. The printer's Kanji font is GBK: a character outside it (¥ U+00A5,
 * emoji, rare CJK) goes out as a four-byte GB18030 sequence, which the printer
 * reads as two garbage characters. So text is fitted before it is laid out
 * (widths are measured on what prints), the ESC/POS encoder fits it again
 * before it encodes, and the preview draws the fitted text: all three use
 * `fitPrintable`, so the preview shows exactly what the paper will.
 *
 * The mark for a character with no printable form is □ (U+25A1): it is in
 * GB2312 (A1F5), so even the oldest GB2312-only printer fonts have it; it is
 * two columns wide like every character it replaces, so a row does not shift;
 * and unlike "?" it cannot be mistaken for punctuation that is really there —
 * it reads as the familiar "missing character" box.
 */
export const REPLACEMENT_MARK = '□';

/** One character (grapheme) the printer cannot print, and what is printed in its place. */
export interface TextSubstitution {
  readonly original: string;
  readonly printed: string;
}

export interface PrintableText {
  readonly text: string;
  /** Each distinct visible character that was changed, in order of first appearance. */
  readonly substitutions: readonly TextSubstitution[];
}

/** Whether the printer prints this code point as it is (printable ASCII or GBK two-byte). */
export function isPrintableCodePoint(codePoint: number): boolean {
  let lo = 0;
  let hi = GBK_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const first = GBK_RANGES[mid * 2] ?? 0;
    const last = GBK_RANGES[mid * 2 + 1] ?? 0;
    if (codePoint < first) hi = mid - 1;
    else if (codePoint > last) lo = mid + 1;
    else return true;
  }
  return false;
}

const allPrintable = (text: string): boolean => {
  for (const ch of text) if (!isPrintableCodePoint(ch.codePointAt(0) ?? 0)) return false;
  return true;
};

/**
 * Common characters GBK lacks, and the GBK (or ASCII) form a reader takes for
 * the same thing. Anything not here that Unicode's compatibility form or a
 * plain base letter covers (ｶ → カ, ² → 2, ñ → n) is handled by the rules in
 * fitGrapheme; the rest becomes the replacement mark.
 */
const SUBSTITUTES: Readonly<Record<string, string>> = {
  '\u00a5': '￥', // ¥ yen / yuan sign → full-width ￥ (A3A4)
  '\u00a3': '￡',
  '\u00a2': '￠',
  '\u00ac': '￢',
  '\u00a6': '￤',
  '\u00af': '￣',
  '\u20ac': 'EUR', // GB18030 gives € A2E3, a code GBK fonts leave empty
  '\u00a9': '(C)',
  '\u00ae': '(R)',
  '\u2122': 'TM',
  '\u2022': '·', // • bullet
  '\u2219': '·',
  '\u2027': '·',
  '\u30fb': '·', // ・ katakana middle dot
  '\u2713': '√', // ✓ ✔ ☑
  '\u2714': '√',
  '\u2611': '√',
  '\u2717': '×', // ✗ ✘
  '\u2718': '×',
  '\u00bd': '1/2',
  '\u2153': '1/3',
  '\u00bc': '1/4',
  '\u00be': '3/4',
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '-', // figure dash
  '\u2212': '-', // minus sign
  '\u201a': ',',
  '\u201e': '"',
  '\u2039': '<',
  '\u203a': '>',
  '\u00ab': '<<',
  '\u00bb': '>>',
  '\u301c': '～', // 〜 wave dash
  '\u00df': 'ss',
  '\u00e6': 'ae',
  '\u00c6': 'AE',
  '\u0153': 'oe',
  '\u0152': 'OE',
  '\u00f8': 'o',
  '\u00d8': 'O',
  '\u0111': 'd',
  '\u0110': 'D',
  '\u0142': 'l',
  '\u0141': 'L',
  '\u0131': 'i',
  '\t': ' ',
};

/** Invisible characters (controls, zero-width and format characters): dropped, not marked. */
const INVISIBLE = /^[\p{Cc}\p{Cf}\u{fe00}-\u{fe0f}]+$/u;
const VARIATION_SELECTORS = /[\u{fe00}-\u{fe0f}]/gu;
const MARKS = /\p{M}/gu;

const graphemes = new Intl.Segmenter('zh-CN', { granularity: 'grapheme' });

/** The same character without what a printer ignores: presentation selectors, unnormalised accents. */
const plainForm = (grapheme: string): string =>
  grapheme.replace(VARIATION_SELECTORS, '').normalize('NFC');

/** What one user-perceived character (grapheme cluster) prints as. */
function fitGrapheme(grapheme: string): string {
  if (INVISIBLE.test(grapheme)) return SUBSTITUTES[grapheme] ?? '';
  const plain = plainForm(grapheme);
  if (allPrintable(plain)) return plain;
  const substitute = SUBSTITUTES[plain];
  if (substitute !== undefined) return substitute;
  // Half-width katakana, ligatures, superscripts, full-width or circled forms outside GBK.
  const compatible = plain.normalize('NFKC');
  if (allPrintable(compatible)) return compatible;
  // A letter with an accent GBK lacks (ñ, û, ç) keeps its letter; a keycap emoji its digit.
  const base = plain.normalize('NFD').replace(MARKS, '');
  if (base !== '' && allPrintable(base)) return base;
  return REPLACEMENT_MARK;
}

/**
 * Fits text to what a GBK receipt printer prints. Pure and idempotent: text
 * that is already printable comes back unchanged, and fitting fitted text
 * changes nothing. Controls are dropped, so data never becomes a command.
 */
export function fitPrintable(text: string): PrintableText {
  if (allPrintable(text)) return { text, substitutions: [] };
  let out = '';
  const substitutions: TextSubstitution[] = [];
  for (const { segment } of graphemes.segment(text)) {
    if (allPrintable(segment)) {
      out += segment;
      continue;
    }
    const printed = fitGrapheme(segment);
    out += printed;
    // Only what a reader would see changed is reported, not a dropped control or a normalised accent.
    if (INVISIBLE.test(segment) || printed === plainForm(segment)) continue;
    if (!substitutions.some((s) => s.original === segment))
      substitutions.push({ original: segment, printed });
  }
  return { text: out, substitutions };
}

/** The printable form of text, when what changed does not matter. */
export const printableText = (text: string): string => fitPrintable(text).text;

/**
 * Fits many texts and remembers every substitution across them, once each:
 * a receipt's layout fits each field with `fit` and reports `substitutions`.
 */
export function substitutionLog(): {
  fit(text: string): string;
  readonly substitutions: readonly TextSubstitution[];
} {
  const substitutions: TextSubstitution[] = [];
  return {
    substitutions,
    fit(text) {
      const fitted = fitPrintable(text);
      for (const s of fitted.substitutions)
        if (!substitutions.some((t) => t.original === s.original)) substitutions.push(s);
      return fitted.text;
    },
  };
}
