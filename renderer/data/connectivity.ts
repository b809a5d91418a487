/**
 * Whether this tab can reach the server, learned from real calls. While it is known to be down,
 * scans go straight to the offline path (an answer in milliseconds, not a 3 s timeout), and a
 * health probe finds out when it is back.
 */
export interface Connectivity {
  readonly online: () => boolean;
  readonly lastError: () => string | null;
  readonly markOnline: () => void;
  readonly markOffline: (why: string) => void;
  readonly subscribe: (listener: (online: boolean) => void) => () => void;
}

export function createConnectivity(initiallyOnline = true): Connectivity {
  let online = initiallyOnline;
  let lastError: string | null = null;
  const listeners = new Set<(online: boolean) => void>();
  const set = (next: boolean): void => {
    if (next === online) return;
    online = next;
    for (const l of listeners) l(next);
  };
  return {
    online: () => online,
    lastError: () => lastError,
    markOnline: () => {
      lastError = null;
      set(true);
    },
    markOffline: (why) => {
      lastError = why;
      set(false);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
