/** Errors listed in one answer of a console CSV import; the count of all of them is sent too. */
const MAX_LISTED = 500;

/** The all-or-nothing answer of a console CSV import: what was stored, or every bad row. */
export function importAnswer<E>(
  imported: number,
  errors: readonly E[],
): { imported: number; errors: E[]; badRows: number } {
  return { imported, errors: errors.slice(0, MAX_LISTED), badRows: errors.length };
}
