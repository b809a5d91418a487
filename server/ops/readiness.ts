import { statfsSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { MIGRATION_COUNT } from '../db/migrations';
import type { Database } from '../db/schema';

export const MB = 1_048_576;

/** What the disk check found: free bytes (null when the file system cannot be asked) against the threshold. */
export interface DiskRoom {
  readonly freeBytes: number | null;
  readonly minFreeBytes: number;
}

/** The sentence /readyz and the warning say when `room` is below its threshold, else null. */
export function diskAlmostFull(room: DiskRoom): string | null {
  if (room.freeBytes === null || room.freeBytes >= room.minFreeBytes) return null;
  return `disk almost full: ${Math.floor(room.freeBytes / MB)} MB free, below ${Math.round(room.minFreeBytes / MB)} MB`;
}

/** The store's disk as readiness looks at it (ops/disk-watch.ts). */
export interface DiskCheck {
  readonly path: string;
  readonly minFreeBytes: number;
  check(): DiskRoom;
}

/**
 * Why the server should not take traffic, or null when it should: the
 * database does not answer, this build's migrations are not all applied yet,
 * or the disk holding the SQLite store (`disk`) is (nearly) full.
 */
export async function notReadyBecause(
  db: Kysely<Database>,
  disk: DiskCheck | null,
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
  if (disk !== null) {
    const full = diskAlmostFull(disk.check());
    if (full !== null)
      return `${full} on the disk holding ${disk.path}; free space before writes fail`;
  }
  return null;
}

/** Bytes an unprivileged process may still write on the file system of `path`. */
export function freeBytes(path: string): number | null {
  try {
    const s = statfsSync(path);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
