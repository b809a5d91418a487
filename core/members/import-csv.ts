import { DisplayName, MemberTier } from '../ids';
import { cutCell as cut, importLines, MAX_IMPORT_ROWS } from '../import-rows';
import type { MemberRowError, MemberRowProblem } from '../protocol/member-admin';
import { maskPhone, maskPhonesIn, type MemberPhone, phoneOf } from './index';

export interface MemberImportRow {
  readonly row: number;
  readonly phone: MemberPhone;
  readonly name: string;
  readonly tier: MemberTier;
}

export interface ParsedMembers {
  readonly rows: readonly MemberImportRow[];
  readonly errors: readonly MemberRowError[];
}

/** The columns, in order; the header line, when there is one, starts with `phone`. */
export const MEMBER_CSV_COLUMNS = ['phone', 'name', 'tier'] as const;

/**
 * Reads a members file: lines `phone,name,tier`, the phone as typed (spaces and dashes are
 * dropped). Every bad cell of every row is reported with its line number, and a phone twice in
 * the file is an error: which line should win is the manager's call, not the importer's. A
 * phone is quoted back masked: the report is shown on a screen.
 */
export function parseMembersCsv(text: string): ParsedMembers {
  const rows: MemberImportRow[] = [];
  const errors: MemberRowError[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells, text: line } of importLines(text, 'phone')) {
    if (cells.length !== MEMBER_CSV_COLUMNS.length) {
      errors.push({ row, problem: 'wrong_column_count', value: cut(maskPhonesIn(line)) });
      continue;
    }
    const [typedPhone = '', typedName = '', typedTier = ''] = cells;
    const bad: [MemberRowProblem, string][] = [];
    const phone = phoneOf(typedPhone);
    if (phone === null) bad.push(['bad_phone', typedPhone]);
    const name = DisplayName.safeParse(typedName);
    if (!name.success) bad.push(['bad_name', typedName]);
    const tier = MemberTier.safeParse(typedTier);
    if (!tier.success) bad.push(['bad_tier', typedTier]);
    for (const [problem, value] of bad) errors.push({ row, problem, value: cut(value) });
    if (phone === null || !name.success || !tier.success) continue;
    const first = seen.get(phone);
    if (first !== undefined) {
      errors.push({ row, problem: 'repeated_in_file', value: maskPhone(phone), firstRow: first });
      continue;
    }
    seen.set(phone, row);
    rows.push({ row, phone, name: name.data, tier: tier.data });
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: 0, problem: 'no_rows', value: '' });
  if (rows.length > MAX_IMPORT_ROWS)
    errors.push({ row: 0, problem: 'too_many_rows', value: String(rows.length) });
  return { rows, errors };
}
