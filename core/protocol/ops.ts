import { z } from 'zod';
import { Instant } from '../ids';

/**
 * What one backup of the SQLite store came to. A backup counts only when
 * `verified`: the copy passed SQLite's integrity check, holds the same rows as
 * the store at the instant it was taken, and its audit chain verifies. An
 * unverified copy is deleted and `problems` says why.
 */
export const BackupReport = z
  .object({
    verified: z.boolean(),
    /** The backup file's name inside the backup folder (null when none was kept). */
    file: z.string().nullable(),
    startedAt: Instant,
    seconds: z.number().nonnegative(),
    bytes: z.number().int().nonnegative(),
    /** Rows per table in the copy. */
    rows: z.record(z.string(), z.number().int().nonnegative()),
    auditEntries: z.number().int().nonnegative(),
    /** How many migrations the copy's schema has: restore refuses one newer than its build. */
    migrations: z.number().int().nonnegative(),
    problems: z.array(z.string()),
    /** Older backups deleted to keep the configured number. */
    removed: z.array(z.string()),
  })
  .strict();
export type BackupReport = z.infer<typeof BackupReport>;

export const BackupRequest = z.object({}).strict().describe('backup request (an empty object)');
