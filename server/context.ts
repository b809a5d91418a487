import type { ServerKeys } from './auth/keys';
import type { TerminalCache } from './auth/terminal-cache';
import type { Storage } from './db/storage';
import type { BatchCache } from './ledger/batch-cache';
import type { DiskCheck } from './ops/readiness';

/**
 * Budgets of the things attackers guess (server/auth/limits.ts), counted in
 * the database so they hold across instances.
 */
export interface RateLimits {
  /** PIN logins per terminal, and password logins per client address, per minute. */
  readonly loginPerMinute: number;
  /** GET /v1/codes/:code per terminal, per minute. */
  readonly lookupPerMinute: number;
  /** POST /v1/terminals/pair per client address, per minute. */
  readonly pairPerMinute: number;
  /** Wrong PINs in a row on one terminal before its PIN sign-in locks until a manager unlocks it. */
  readonly pinFailuresBeforeLock: number;
  /** Failed password logins of one user name before that name is refused for passwordLockMinutes. */
  readonly passwordFailuresBeforeLock: number;
  readonly passwordLockMinutes: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  loginPerMinute: 10,
  lookupPerMinute: 120,
  pairPerMinute: 10,
  pinFailuresBeforeLock: 5,
  passwordFailuresBeforeLock: 5,
  passwordLockMinutes: 15,
};

/** What every route handler needs; built once by startServer. */
export interface AppContext {
  readonly storage: Storage;
  readonly keys: ServerKeys;
  readonly batches: BatchCache;
  /** Who each terminal token belongs to, dropped whenever that may change (auth/terminal-cache.ts). */
  readonly terminals: TerminalCache;
  readonly limits: RateLimits;
  /** '' until the store is restored from a backup; then the restore's epoch (feed/cursor.ts). */
  readonly feedEpoch: string;
  /** SQLite: the data folder's disk, which /readyz and /metrics watch for space; null on PostgreSQL. */
  readonly disk: DiskCheck | null;
  /** The server clock as ISO-8601 UTC (injectable for tests of expiry). */
  now(): string;
}
