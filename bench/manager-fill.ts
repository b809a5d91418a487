import SqliteDatabase from 'better-sqlite3';
import { join } from 'node:path';
import { SQLITE_FILE } from '../server/db/connect';

/** Codes written straight into the store for the page figure. */
export const FILL_CODES = 1_000_000;

/** The code the fill gives number `i`: `M-` and seven digits, so code order is number order. */
export const fillCursor = (i: number): string => `M-${String(i).padStart(7, '0')}`;

/**
 * FILL_CODES codes over the store's batches in one transaction, with the server stopped: 70 %
 * issued, 20 % claimed, 10 % redeemed (at a store of the chain). Unsigned, as imported platform
 * codes are: a page shows the same row either way. Returns the batch ids.
 */
export async function fillCodes(dataDir: string): Promise<string[]> {
  const db = new SqliteDatabase(join(dataDir, SQLITE_FILE));
  try {
    db.pragma('journal_mode = WAL');
    // A bench's fill: no fsync per page; the file is checkpointed below.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const batches = db.prepare('SELECT id FROM batches ORDER BY id').pluck().all() as string[];
    const store = db.prepare('SELECT id FROM stores ORDER BY id LIMIT 1').pluck().get() as
      | string
      | undefined;
    if (batches.length === 0 || store === undefined) throw new Error('no batches or stores');
    const at = new Date().toISOString();
    db.transaction(() => {
      db.prepare('CREATE TEMP TABLE fill_batches (n INTEGER PRIMARY KEY, id TEXT NOT NULL)').run();
      const add = db.prepare('INSERT INTO fill_batches (n, id) VALUES (?, ?)');
      batches.forEach((id, n) => add.run(n, id));
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${FILL_CODES - 1})
         INSERT INTO codes (code, batch_id, state, signed, claimed_at, redeemed_at, redeemed_store_id)
         SELECT printf('M-%07d', i), b.id,
                CASE WHEN i % 10 = 9 THEN 'redeemed' ELSE 'issued' END, 0,
                CASE WHEN i % 10 >= 7 THEN @at END,
                CASE WHEN i % 10 = 9 THEN @at END,
                CASE WHEN i % 10 = 9 THEN @store END
         FROM n JOIN fill_batches b ON b.n = i % ${batches.length}`,
      ).run({ at, store });
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const count = db
      .prepare("SELECT count(*) FROM codes WHERE code LIKE 'M-%'")
      .pluck()
      .get() as number;
    if (count !== FILL_CODES) throw new Error(`the fill left ${count} codes`);
    return batches;
  } finally {
    db.close();
  }
}
