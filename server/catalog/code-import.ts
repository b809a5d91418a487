import { parseCodesCsv } from '../../core/codes';
import type { CodeRowError, ImportCodesCsvResponse } from '../../core/protocol';
import type { Storage } from '../db/storage';
import { storeCodes } from './batches';
import { importAnswer } from './import-answer';
import type { Editor } from './stores';

function answer(imported: number, errors: readonly CodeRowError[]): ImportCodesCsvResponse {
  return importAnswer(imported, errors);
}

/**
 * The console's CSV import: every row is checked (format, claim time, repeats in the file,
 * codes the server already knows) and any bad row means nothing is stored, so the manager
 * fixes the file and imports it again rather than hunting which half went in.
 */
export async function importCodesCsv(
  storage: Storage,
  editor: Editor,
  batchId: string,
  csv: string,
  claimedAt: string | null,
  now: string,
): Promise<ImportCodesCsvResponse> {
  const parsed = parseCodesCsv(csv, claimedAt);
  if (parsed.errors.length > 0) return answer(0, parsed.errors);
  const known = new Set(await storeCodes(storage, editor, batchId, parsed.rows, false, now, true));
  if (known.size === 0) return answer(parsed.rows.length, []);
  return answer(
    0,
    parsed.rows
      .filter((r) => known.has(r.code))
      .map((r) => ({ row: r.row, problem: 'already_known' as const, value: r.code })),
  );
}
