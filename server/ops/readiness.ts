import { statfsSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { MIGRATION_COUNT } from '../db/migrations';
import type { Database } from '../db/schema';

/**
 * Below this much free space on the store's disk the server reports itself
 * not ready: SQLite needs room for its WAL and a checkpoint, and a write that
 * fails for space is a redemption a till must hold on to. Better the load
 * balancer and the on-call engineer hear of it first.
 */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

/**
 * Why the server should not take traffic, or null when it should: the
 * database does not answer, this build's migrations are not all applied yet,
 * or the disk holding the SQLite store (`diskPath`) is (nearly) full.
 */
export async function notReadyBecause(
  db: Kysely<Database>,
  diskPath: string | null,
  minFreeBytes = MIN_FREE_BYTES,
): Promise<string | null> {
  let applied: number;
  try {
    const row = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(db);
    applied = Number(row.rows[0]?.n ?? 0);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    return `the database is not reachable (${typeof code === 'string' ? code : 'no answer'}); retry in a few seconds`;
  }
  if (applied < MIGRATION_COUNT)
    return `database migrations are running (${applied} of ${MIGRATION_COUNT} applied); retry in a few seconds`;
  if (diskPath !== null) {
    const free = freeBytes(diskPath);
    if (free !== null && free < minFreeBytes)
      return `the disk holding ${diskPath} is full (${Math.floor(free / 1_048_576)} MB free, at least ${minFreeBytes / 1_048_576} MB needed): free space before writes fail`;
  }
  return null;
}

/** Bytes an unprivileged process may still write on the file system of `path`. */
function freeBytes(path: string): number | null {
  try {
    const s = statfsSync(path);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
