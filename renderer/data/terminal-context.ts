import type { ApiClient } from './api-client';
import type { Connectivity } from './connectivity';
import type { TillpointDb } from './db';
import type { Deps } from './deps';
import type { TerminalRecord } from './records';
import type { StorageHealth } from './storage-health';

/** What every part of a paired terminal's data layer works with: one window's wiring. */
export interface TerminalContext {
  readonly db: TillpointDb;
  readonly api: ApiClient;
  readonly deps: Deps;
  readonly terminal: TerminalRecord;
  readonly connectivity: Connectivity;
  readonly storage: StorageHealth;
}
