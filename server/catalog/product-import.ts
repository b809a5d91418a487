import { parseProductsCsv } from '../../core/products/import-csv';
import type { ImportProductsCsvResponse } from '../../core/protocol';
import type { Storage } from '../db/storage';
import { importAnswer } from './import-answer';
import { upsertProduct, type Editor } from './stores';

/**
 * The console's products import: every row is checked first and any bad row means nothing is
 * stored; a clean file is stored in one transaction, each product as the single edit stores it
 * (on the feed for the tills, audited). Importing the same file again stores the same products.
 */
export async function importProductsCsv(
  storage: Storage,
  editor: Editor,
  csv: string,
  now: string,
): Promise<ImportProductsCsvResponse> {
  const parsed = parseProductsCsv(csv);
  if (parsed.errors.length > 0) return importAnswer(0, parsed.errors);
  await storage.write(async (w) => {
    for (const { product } of parsed.rows) await upsertProduct(w, editor, product, now);
  });
  return importAnswer(parsed.rows.length, []);
}
