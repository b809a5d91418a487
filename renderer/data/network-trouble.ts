import type { ApiFailure } from './api-client';

/**
 * A failed exchange that says something about the line, not about our protocol: the server could
 * not be reached, did not answer in time, answered 5xx, or its answer was cut or unreadable. The
 * cashier is told "network unstable, retrying" until the next exchange gets through; the
 * English detail is for the log. Anything else (a 4xx, an answer of the wrong shape) is a problem
 * someone has to look at, shown as such.
 */
export function isNetworkTrouble(failure: Pick<ApiFailure, 'offline' | 'code'>): boolean {
  return failure.offline || failure.code === 'NETWORK' || failure.code === 'TIMEOUT';
}

/** A failed exchange that is not the line's fault: for the cashier's banner (localised) and the log. */
export type ProtocolProblem = Pick<ApiFailure, 'code' | 'message'>;
