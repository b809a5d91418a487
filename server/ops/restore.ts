import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { SQLITE_FILE } from '../db/connect';
import { MIGRATION_COUNT } from '../db/migrations';
import { newEpoch } from '../feed/cursor';
import { copyAndVerify } from './backup-check';
import { FEED_EPOCH_KEY } from './feed-epoch';
import { runningPid } from './pid-file';

export type RestoreResult =
  | {
      readonly ok: true;
      readonly rows: Record<string, number>;
      readonly auditEntries: number;
      /** Tills holding cursors of another epoch are told to push again (feed/cursor.ts). */
      readonly feedEpoch: string;
      /** Where the store that was replaced now lies (null when there was none). */
      readonly replaced: string | null;
    }
  | {
      readonly ok: false;
      readonly code: 'SERVER_RUNNING' | 'BACKUP_INVALID' | 'SCHEMA_NEWER' | 'NOT_FOUND';
      readonly message: string;
    };

/**
 * Puts the backup `file` in place of the SQLite store in `dataDir`, on a
 * stopped server. The backup is copied next to the store and verified there
 * (integrity, audit chain) before anything is replaced; one with migrations
 * this build does not know is refused, since this build cannot serve it. The
 * restored store gets a new feed epoch, so every till learns at its next pull
 * that it must push its records again. The replaced store is kept beside it.
 */
export async function restoreBackup(
  file: string,
  dataDir: string,
  now: () => Date = () => new Date(),
): Promise<RestoreResult> {
  const pid = runningPid(dataDir);
  if (pid !== null)
    return {
      ok: false,
      code: 'SERVER_RUNNING',
      message: `a server (pid ${pid}) is running on ${dataDir}; stop it, then restore`,
    };
  if (!existsSync(file)) return { ok: false, code: 'NOT_FOUND', message: `${file} does not exist` };
  const store = join(dataDir, SQLITE_FILE);
  const restoring = `${store}.restoring`;
  copyFileSync(file, restoring);
  const checked = await copyAndVerify(null, restoring);
  const refuse = (code: 'BACKUP_INVALID' | 'SCHEMA_NEWER', message: string): RestoreResult => {
    rmSync(restoring, { force: true });
    return { ok: false, code, message };
  };
  if (checked.problems.length > 0)
    return refuse('BACKUP_INVALID', `${file} failed verification: ${checked.problems.join('; ')}`);
  if (checked.unknownMigrations.length > 0 || checked.migrations > MIGRATION_COUNT)
    return refuse(
      'SCHEMA_NEWER',
      `${file} comes from a newer server (${checked.migrations} migrations, this build knows ${MIGRATION_COUNT}${checked.unknownMigrations.length > 0 ? `; unknown: ${checked.unknownMigrations.join(', ')}` : ''}); restore it with that version or later`,
    );
  const epoch = newEpoch();
  const db = new SqliteDatabase(restoring, { fileMustExist: true });
  try {
    db.prepare('insert or replace into server_keys (name, value) values (?, ?)').run(
      FEED_EPOCH_KEY,
      epoch,
    );
  } finally {
    db.close();
  }
  let replaced: string | null = null;
  if (existsSync(store)) {
    replaced = `${store}.replaced-${now().toISOString().replace(/[-:.]/g, '')}`;
    // The WAL holds the last commits of the store it belongs to: it moves with it, under SQLite's name for it.
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(store + suffix)) renameSync(store + suffix, replaced + suffix);
  }
  renameSync(restoring, store);
  return {
    ok: true,
    rows: checked.rows,
    auditEntries: checked.auditEntries,
    feedEpoch: epoch,
    replaced,
  };
}
