import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { GBK_RANGES } from '../../core/receipt/gbk-ranges';
import { isPrintableCodePoint } from '../../core/receipt/printable-text';
import { gbkRanges, printsOnGbkPrinter } from './gbk-coverage';

describe('the GBK table core/receipt fits text with', () => {
  it('is what iconv-lite encodes: regenerate with `npx tsx scripts/gbk-ranges.ts` if this fails', () => {
    expect(GBK_RANGES).toEqual(gbkRanges().flat());
  });

  it('answers like the encoder for every code point of the BMP and a few beyond it', () => {
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (isPrintableCodePoint(cp) !== printsOnGbkPrinter(cp))
        throw new Error(`U+${cp.toString(16)} disagrees`);
    }
    for (const cp of [0x10000, 0x1f354, 0x20bb7, 0x10ffff])
      expect(isPrintableCodePoint(cp)).toBe(false);
  });

  it('sends every printable non-ASCII character as the two bytes GBK gives it', () => {
    for (const ch of ['￥', '拿', '①', '—', 'é', '□']) {
      const bytes = iconv.encode(ch, 'gb18030');
      expect(bytes).toHaveLength(2);
      expect(bytes.equals(iconv.encode(ch, 'cp936'))).toBe(true);
    }
  });

  it('leaves out € (GB18030 A2E3 is empty in a GBK font) and the user-defined area', () => {
    expect(printsOnGbkPrinter(0x20ac)).toBe(false);
    expect(printsOnGbkPrinter(0xe000)).toBe(false);
    expect(printsOnGbkPrinter(0xa5)).toBe(false);
  });
});
