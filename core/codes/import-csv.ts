import { Instant, VoucherCode } from '../ids';
import { cutCell as cut, importLines, MAX_IMPORT_ROWS } from '../import-rows';
import type { CodeRowError } from '../protocol/code-admin';

export interface ImportRow {
  readonly row: number;
  readonly code: VoucherCode;
  readonly claimedAt: string | null;
}

export interface ParsedImport {
  readonly rows: readonly ImportRow[];
  readonly errors: readonly CodeRowError[];
}

/**
 * Reads an import file: lines `code` or `code,claimed_at` (ISO 8601 with offset), an optional
 * header line starting with `code`, blank lines ignored. Every bad row is reported with its
 * line number, so the manager fixes the file once; repeats inside the file are errors too.
 */
export function parseCodesCsv(text: string, defaultClaimedAt: string | null): ParsedImport {
  const rows: ImportRow[] = [];
  const errors: CodeRowError[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells, text: line } of importLines(text, 'code')) {
    if (cells.length > 2) {
      errors.push({ row, problem: 'too_many_columns', value: cut(line) });
      continue;
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
    if (bad || !code.success) continue;
    const first = seen.get(code.data);
    if (first !== undefined) {
      errors.push({ row, problem: 'repeated_in_file', value: code.data, firstRow: first });
      continue;
    }
    seen.set(code.data, row);
    rows.push({ row, code: code.data, claimedAt: time ? (time.data ?? null) : defaultClaimedAt });
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: 0, problem: 'no_rows', value: '' });
  if (rows.length > MAX_IMPORT_ROWS)
    errors.push({ row: 0, problem: 'too_many_rows', value: String(rows.length) });
  return { rows, errors };
}
