import type { ServerKeys } from './auth/keys';
import type { Storage } from './db/storage';
import type { BatchCache } from './ledger/batch-cache';

/** Per-key request budgets for the endpoints attackers like (logins, look-ups, pairing). */
export interface RateLimits {
  /** POST /v1/sessions per terminal token or IP, per minute. */
  readonly loginPerMinute: number;
  /** GET /v1/codes/:code per terminal, per minute. */
  readonly lookupPerMinute: number;
  /** POST /v1/terminals/pair per IP, per minute. */
  readonly pairPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  loginPerMinute: 10,
  lookupPerMinute: 120,
  pairPerMinute: 10,
};

/** What every route handler needs; built once by startServer. */
export interface AppContext {
  readonly storage: Storage;
  readonly keys: ServerKeys;
  readonly batches: BatchCache;
  readonly limits: RateLimits;
  /** The server clock as ISO-8601 UTC (injectable for tests of expiry). */
  now(): string;
}
