import { Instant, VoucherCode } from '../ids';
import type { CodeRowError } from '../protocol/code-admin';

/** Rows one import takes: the endpoint stores them in one transaction. */
const MAX_IMPORT_ROWS = 10_000;

export interface ImportRow {
  readonly row: number;
  readonly code: VoucherCode;
  readonly claimedAt: string | null;
}

export interface ParsedImport {
  readonly rows: readonly ImportRow[];
  readonly errors: readonly CodeRowError[];
}

/** A cell without the quotes a spreadsheet may add; codes and times hold no commas. */
function cell(raw: string): string {
  const t = raw.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

const cut = (s: string) => s.slice(0, 80);

/**
 * Reads an import file: lines `code` or `code,claimed_at` (ISO 8601 with offset), an optional
 * header line starting with `code`, blank lines ignored. Every bad row is reported with its
 * line number, so the manager fixes the file once; repeats inside the file are errors too.
 */
export function parseCodesCsv(text: string, defaultClaimedAt: string | null): ParsedImport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const rows: ImportRow[] = [];
  const errors: CodeRowError[] = [];
  const seen = new Map<string, number>();
  lines.forEach((line, i) => {
    const row = i + 1;
    if (line.trim() === '') return;
    const cells = line.split(',').map(cell);
    if (i === 0 && (cells[0] ?? '').toLowerCase() === 'code') return;
    if (cells.length > 2) {
      errors.push({ row, problem: 'too_many_columns', value: cut(line) });
      return;
    }
    const [rawCode = '', rawTime = ''] = cells;
    const code = VoucherCode.safeParse(rawCode.toUpperCase());
    let bad = false;
    if (!code.success) {
      errors.push({ row, problem: 'bad_code', value: cut(rawCode) });
      bad = true;
    }
    const time = rawTime === '' ? null : Instant.safeParse(rawTime);
    if (time && !time.success) {
      errors.push({ row, problem: 'bad_claim_time', value: cut(rawTime) });
      bad = true;
    }
    if (bad || !code.success) return;
    const first = seen.get(code.data);
    if (first !== undefined) {
      errors.push({ row, problem: 'repeated_in_file', value: code.data, firstRow: first });
      return;
    }
    seen.set(code.data, row);
    rows.push({ row, code: code.data, claimedAt: time ? (time.data ?? null) : defaultClaimedAt });
  });
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: 0, problem: 'no_rows', value: '' });
  if (rows.length > MAX_IMPORT_ROWS)
    errors.push({ row: 0, problem: 'too_many_rows', value: String(rows.length) });
  return { rows, errors };
}
