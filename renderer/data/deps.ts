import { v7 as uuidv7 } from 'uuid';
import type { ClientId } from '../../core/ids';

/** The clock and id source of the data layer, passed in so tests can pin them. */
export interface Deps {
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** A fresh idempotency key (UUID v7, so keys sort by time). */
  readonly newId: () => ClientId;
}

export const browserDeps: Deps = {
  now: () => Date.now(),
  newId: () => uuidv7() as ClientId,
};

export const isoAt = (ms: number): string => new Date(ms).toISOString();
