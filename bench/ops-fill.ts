import SqliteDatabase from 'better-sqlite3';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, SQLITE_FILE } from '../server/db/connect';

/** Redemptions written into the store before the backup. */
export const FILL = 1_000_000;
/** Fresh codes (L-…) for the load: enough for a fast server over warm-up, window and a slow backup. */
export const LOAD_CODES = 400_000;

/**
 * Copies the template rows (the redemption of code `redeemed`, its code and
 * feed entries; the unredeemed code `fresh`) FILL and LOAD_CODES times, in one
 * transaction, through the server's own schema (openDatabase migrates first).
 */
export async function fill(dataDir: string, redeemed: string, fresh: string): Promise<void> {
  const handle = await openDatabase({ dataDir });
  await handle.close();
  const db = new SqliteDatabase(join(dataDir, SQLITE_FILE));
  try {
    db.pragma('journal_mode = WAL');
    // A bench's fill: no fsync per page; the file is checkpointed and synced below.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const numbers = (n: number) =>
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${n - 1})`;
    const code = `printf('F-%07d', i)`;
    const id = `printf('00000000-0000-7000-8000-%012d', i)`;
    const template = db
      .prepare(`SELECT id FROM redemptions WHERE code = ?`)
      .pluck()
      .get(redeemed) as string | undefined;
    if (template === undefined) throw new Error('no template redemption');
    const swap = (column: string) =>
      `replace(replace(${column}, '${redeemed}', ${code}), '${template}', ${id})`;
    db.transaction(() => {
      db.exec(`${numbers(FILL)}
        INSERT INTO codes (code, batch_id, state, signed, claimed_at, redeemed_at, redeemed_store_id,
                           redeemed_terminal_id, redemption_id)
        SELECT ${code}, batch_id, state, signed, claimed_at, redeemed_at, redeemed_store_id,
               redeemed_terminal_id, ${id}
        FROM n, (SELECT * FROM codes WHERE code = '${redeemed}')`);
      db.exec(`${numbers(FILL)}
        INSERT INTO redemptions (id, code, batch_id, store_id, terminal_id, cashier_id, status,
                                 discount_fen, day, customer_id, lease_id, at, recorded_at, response,
                                 request_hash, sale_id)
        SELECT ${id}, ${code}, batch_id, store_id, terminal_id, cashier_id, status, discount_fen, day,
               customer_id, lease_id, at, recorded_at, ${swap('response')}, request_hash, sale_id
        FROM n, (SELECT * FROM redemptions WHERE code = '${redeemed}')`);
      db.exec(`${numbers(FILL)}
        INSERT INTO changes (batch_id, doc, created_at)
        SELECT t.batch_id, ${swap('t.doc')}, t.created_at
        FROM n, (SELECT * FROM changes WHERE doc LIKE '%${redeemed}%') t`);
      db.exec(`${numbers(LOAD_CODES)}
        INSERT INTO codes (code, batch_id, state, signed, claimed_at, redeemed_at, redeemed_store_id,
                           redeemed_terminal_id, redemption_id)
        SELECT printf('L-%07d', i), batch_id, state, signed, claimed_at, redeemed_at,
               redeemed_store_id, redeemed_terminal_id, redemption_id
        FROM n, (SELECT * FROM codes WHERE code = '${fresh}')`);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    // On the disk before the server starts: writeback of the fill would otherwise slow the
    // server's fsyncs in the window measured without a backup.
    const fd = openSync(join(dataDir, SQLITE_FILE), 'r+');
    fsyncSync(fd);
    closeSync(fd);
    const count = db.prepare('SELECT count(*) FROM redemptions').pluck().get() as number;
    if (count < FILL) throw new Error(`the fill left ${count} redemptions`);
  } finally {
    db.close();
  }
}
