/**
 * Code 128, as a receipt printer draws it from ESC/POS GS k 73: code set B
 * for printable ASCII, code set C for pairs of digits (one symbol per pair,
 * which halves the width of long numbers). The encoder sends these segments,
 * the preview draws their bars, and the layout measures their width, so all
 * three agree on the same symbols.
 */
export type Code128Set = 'B' | 'C';

export interface Code128Segment {
  readonly set: Code128Set;
  /** Printable ASCII in set B; an even number of digits in set C. */
  readonly text: string;
}

/** Characters a receipt barcode may hold: printable ASCII, at most this many. */
export const CODE128_MAX_LENGTH = 60;

const START: Record<Code128Set, number> = { B: 104, C: 105 };
/** The symbol that switches to a set from the other one ("Code C" in B is 99, "Code B" in C is 100). */
const SWITCH_TO: Record<Code128Set, number> = { B: 100, C: 99 };
const STOP = 106;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * The fewest symbols that encode `data`, as runs of code sets; null when
 * Code 128 set B/C cannot hold it (empty, too long, or not printable ASCII).
 * Found by dynamic programming over (position, current set), so it is the
 * narrowest barcode the printer can draw for this data.
 */
export function code128Segments(data: string): Code128Segment[] | null {
  if (data.length === 0 || data.length > CODE128_MAX_LENGTH) return null;
  if (!/^[\x20-\x7e]+$/.test(data)) return null;
  const n = data.length;
  // rest[i][set]: symbols needed for data[i..] when the barcode is in `set` at i.
  const rest: Record<Code128Set, number>[] = Array.from({ length: n + 1 }, () => ({ B: 0, C: 0 }));
  const emitB = (i: number): number => 1 + (rest[i + 1]?.B ?? 0);
  const emitC = (i: number): number =>
    isDigit(data[i]) && isDigit(data[i + 1]) ? 1 + (rest[i + 2]?.C ?? 0) : Infinity;
  for (let i = n - 1; i >= 0; i--) {
    rest[i] = { B: Math.min(emitB(i), 1 + emitC(i)), C: Math.min(emitC(i), 1 + emitB(i)) };
  }
  const segments: { set: Code128Set; text: string }[] = [];
  // Starting in C only pays when it is strictly narrower; ties keep set B.
  let set: Code128Set = emitC(0) < emitB(0) ? 'C' : 'B';
  let i = 0;
  while (i < n) {
    const stay = set === 'B' ? emitB(i) : emitC(i);
    const other: Code128Set = set === 'B' ? 'C' : 'B';
    const viaOther = 1 + (other === 'B' ? emitB(i) : emitC(i));
    if (viaOther < stay) set = other;
    const step = set === 'B' ? 1 : 2;
    const last = segments[segments.length - 1];
    const piece = data.slice(i, i + step);
    if (last !== undefined && last.set === set) last.text += piece;
    else segments.push({ set, text: piece });
    i += step;
  }
  return segments;
}

/** Symbol values in order: start, data and set switches, check symbol, stop. */
export function code128Symbols(segments: readonly Code128Segment[]): number[] {
  const first = segments[0];
  if (first === undefined) throw new RangeError('a Code 128 barcode needs at least one segment');
  const values: number[] = [START[first.set]];
  segments.forEach((segment, k) => {
    if (k > 0) values.push(SWITCH_TO[segment.set]);
    if (segment.set === 'B') for (const c of segment.text) values.push(c.charCodeAt(0) - 32);
    else
      for (let i = 0; i < segment.text.length; i += 2)
        values.push(Number(segment.text.slice(i, i + 2)));
  });
  const check = values.reduce((sum, v, k) => sum + v * Math.max(k, 1), 0) % 103;
  return [...values, check, STOP];
}

/** Width in modules: 11 for every symbol, 13 for the stop. Quiet zones are the paper's margins. */
export function code128Modules(segments: readonly Code128Segment[]): number {
  return (code128Symbols(segments).length - 1) * 11 + 13;
}

/**
 * Bar and space widths of every symbol value (ISO/IEC 15417), bar first;
 * the stop (106) has a seventh element, its final bar.
 */
// prettier-ignore
export const CODE128_PATTERNS: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212',
  '221213', '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221',
  '223211', '221132', '221231', '213212', '223112', '312131', '311222', '321122', '321221',
  '312212', '322112', '322211', '212123', '212321', '232121', '111323', '131123', '131321',
  '112313', '132113', '132311', '211313', '231113', '231311', '112133', '112331', '132131',
  '113123', '113321', '133121', '313121', '211331', '231131', '213113', '213311', '213131',
  '311123', '311321', '331121', '312113', '312311', '332111', '314111', '221411', '431111',
  '111224', '111422', '121124', '121421', '141122', '141221', '112214', '112412', '122114',
  '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111', '111242',
  '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311',
  '113141', '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];

/** The bars to draw, as [start module, width] pairs from the left edge. */
export function code128Bars(segments: readonly Code128Segment[]): [number, number][] {
  const bars: [number, number][] = [];
  let x = 0;
  for (const value of code128Symbols(segments)) {
    const pattern = CODE128_PATTERNS[value] ?? '';
    for (let k = 0; k < pattern.length; k++) {
      const width = Number(pattern[k]);
      if (k % 2 === 0) bars.push([x, width]);
      x += width;
    }
  }
  return bars;
}
