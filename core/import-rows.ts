/**
 * The reading both console CSV imports share (codes, products): a file as a spreadsheet saves
 * it, in numbered non-blank lines of trimmed cells, so every bad row is reported by the line a
 * manager sees in their editor. Cells hold no commas (codes, SKUs, prices, times); a quoted cell
 * is unquoted.
 */

/** Rows one import takes: the endpoint stores them in one transaction. */
export const MAX_IMPORT_ROWS = 10_000;

export interface ImportLine {
  /** 1-based line of the file. */
  readonly row: number;
  readonly cells: readonly string[];
  readonly text: string;
}

/** A cell without the quotes a spreadsheet may add. */
function cell(raw: string): string {
  const t = raw.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** A cell as an error report quotes it. */
export const cutCell = (s: string): string => s.slice(0, 80);

/**
 * The non-blank lines of a file without its byte-order mark, and without its first line when that
 * line's first cell is `header` (any case).
 */
export function importLines(text: string, header: string): ImportLine[] {
  const out: ImportLine[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const cells = line.split(',').map(cell);
      if (i === 0 && (cells[0] ?? '').toLowerCase() === header) return;
      out.push({ row: i + 1, cells, text: line });
    });
  return out;
}
