/**
 * Display width of text on a receipt printer (and in the monospaced preview).
 * A printer in Chinese mode prints every multi-byte GB18030 character from its
 * double-width Kanji font: hanzi, full-width forms such as ￥, and also the
 * "ambiguous" characters (×, ·, —, é) that a Western terminal would draw
 * narrow. So on a receipt every character outside printable ASCII takes two
 * columns, and only then do the columns line up.
 */

/** Columns one code point takes: 0 for controls, 1 for printable ASCII, 2 for anything else. */
export function charWidth(codePoint: number): 0 | 1 | 2 {
  if (codePoint < 0x20 || codePoint === 0x7f) return 0;
  return codePoint < 0x7f ? 1 : 2;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/**
 * Splits text into pieces of at most `columns` columns, never cutting a wide
 * character in half. Breaks at the last space when one fits, else anywhere.
 */
export function wrapText(text: string, columns: number): string[] {
  const out: string[] = [];
  let line = '';
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (width + w > columns) {
      const space = line.lastIndexOf(' ');
      if (space > 0 && ch !== ' ') {
        out.push(line.slice(0, space));
        line = line.slice(space + 1);
        width = textWidth(line);
      } else {
        out.push(line.trimEnd());
        line = '';
        width = 0;
      }
      if (ch === ' ' && line === '') continue;
    }
    line += ch;
    width += w;
  }
  if (line !== '' || out.length === 0) out.push(line.trimEnd());
  return out;
}

/** Cuts text to at most `columns` columns, ending with "." (one column; "…" would print double width) when it had to cut. */
export function truncateText(text: string, columns: number): string {
  if (textWidth(text) <= columns) return text;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (width + w > columns - 1) break;
    out += ch;
    width += w;
  }
  return `${out}.`;
}

/** left, spaces, right, exactly `columns` wide; the left side is cut when both do not fit. */
export function spread(left: string, right: string, columns: number): string {
  const rightWidth = textWidth(right);
  const room = columns - rightWidth - 1;
  const head = room > 0 ? truncateText(left, room) : '';
  const gap = columns - textWidth(head) - rightWidth;
  return `${head}${' '.repeat(Math.max(gap, 0))}${right}`;
}
