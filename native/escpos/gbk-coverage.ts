import iconv from 'iconv-lite';

/**
 * Which characters a Chinese receipt printer really prints, measured on
 * iconv-lite, the encoder that sends them. A printer's Kanji font is a GBK
 * font (Windows code page 936). The encoder speaks GB18030, which agrees with
 * GBK on every two-byte character GBK has, but also gives two-byte codes to
 * some characters that GBK lacks (€ at A2E3, the GB18030 additions in FE50…,
 * the user-defined areas) and four-byte codes to everything else (¥, emoji,
 * rare CJK) — which a GBK printer reads as two garbage characters. So a
 * character prints when it is printable ASCII, or when GB18030 and CP936 give
 * it the same two bytes and it is not a private-use character.
 *
 * core/receipt/gbk-ranges.ts is generated from this (scripts/gbk-ranges.ts)
 * because core cannot run iconv; a test keeps the two equal.
 */
export function printsOnGbkPrinter(codePoint: number): boolean {
  if (codePoint >= 0x20 && codePoint < 0x7f) return true;
  if (codePoint < 0x80 || codePoint > 0xffff) return false;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return false;
  if (codePoint >= 0xe000 && codePoint <= 0xf8ff) return false;
  const ch = String.fromCodePoint(codePoint);
  const gb18030 = iconv.encode(ch, 'gb18030');
  if (gb18030.length !== 2) return false;
  const cp936 = iconv.encode(ch, 'cp936');
  return gb18030.equals(cp936) && iconv.decode(gb18030, 'gb18030') === ch;
}

/** The printable code points as inclusive [first, last] ranges, in order. */
export function gbkRanges(): [number, number][] {
  const ranges: [number, number][] = [];
  for (let cp = 0x20; cp <= 0xffff; cp++) {
    if (!printsOnGbkPrinter(cp)) continue;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === cp - 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}
