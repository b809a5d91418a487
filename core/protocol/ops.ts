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

/** Larger figures are a broken till, not a queue: such a header is refused. */
const MAX_QUEUE_DEPTH_REPORTED = 10_000_000;

/**
 * How much a till's queue still holds: redemptions and sales made on it that the server has not
 * answered yet. The drainer counts it (renderer/data/queue-depth.ts) and sends it with the calls
 * it makes anyway, in the X-Till-Queue header, so the server can show it (/metrics, the terminals
 * list) without a request of its own or a change to any body.
 */
export const TillQueueDepth = z
  .object({
    redemptions: z.number().int().min(0).max(MAX_QUEUE_DEPTH_REPORTED),
    sales: z.number().int().min(0).max(MAX_QUEUE_DEPTH_REPORTED),
  })
  .strict();
export type TillQueueDepth = z.infer<typeof TillQueueDepth>;

/** The header's name as Node spells incoming headers (lower case); HTTP headers ignore case. */
export const TILL_QUEUE_HEADER = 'x-till-queue';

/** `redemptions=12,sales=3`: what the till sends. */
export function tillQueueHeader(depth: TillQueueDepth): string {
  return `redemptions=${depth.redemptions},sales=${depth.sales}`;
}

/** The header as the server reads it: exactly the till's spelling, each figure within bounds. */
export const TillQueueHeader = z
  .string()
  .regex(/^redemptions=\d{1,9},sales=\d{1,9}$/, 'expected "redemptions=<n>,sales=<n>"')
  .transform((text) => {
    const [redemptions, sales] = text.split(',').map((part) => Number(part.split('=')[1]));
    return { redemptions, sales };
  })
  .pipe(TillQueueDepth);

/** A till's last report, as the terminals list shows it (null: none since the server started). */
export const TillQueueReport = TillQueueDepth.extend({ reportedAt: Instant }).strict();
export type TillQueueReport = z.infer<typeof TillQueueReport>;
