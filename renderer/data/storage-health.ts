/**
 * Storage problems (quota exceeded, IndexedDB failures) are shown to the cashier and block new
 * offline redemptions: an offline redemption that cannot be made durable must not be promised.
 */
export type StorageProblem =
  | { readonly kind: 'quota' }
  | { readonly kind: 'nearly_full' }
  | { readonly kind: 'database'; readonly detail: string };

export interface StorageHealth {
  /** The last write failure, until a later write succeeds. */
  readonly problem: () => StorageProblem | null;
  readonly report: (error: unknown) => StorageProblem;
  readonly set: (problem: StorageProblem | null) => void;
  readonly subscribe: (listener: (problem: StorageProblem | null) => void) => () => void;
}

export function createStorageHealth(): StorageHealth {
  let problem: StorageProblem | null = null;
  const listeners = new Set<(p: StorageProblem | null) => void>();
  const set = (p: StorageProblem | null): void => {
    if (p === problem || (p === null && problem === null)) return;
    problem = p;
    for (const l of listeners) l(p);
  };
  return {
    problem: () => problem,
    report: (error) => {
      const p = describeStorageError(error);
      set(p);
      return p;
    },
    set,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Names the cause where IndexedDB tells it (Dexie wraps the DOM error in `inner`). */
export function describeStorageError(error: unknown): StorageProblem {
  const name = error instanceof Error ? error.name : '';
  const inner =
    error instanceof Error && 'inner' in error && error.inner instanceof Error
      ? error.inner.name
      : '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') return { kind: 'quota' };
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'database', detail };
}

/** Usage above this share of the quota blocks offline redemptions before a write can fail. */
export const QUOTA_BLOCK_RATIO = 0.98;

let estimate: { at: number; full: boolean } | null = null;
let refreshing = false;
const ESTIMATE_TTL_MS = 60_000;

/**
 * Whether storage is nearly full, from an estimate refreshed in the background at most once a
 * minute: asking the browser on every scan would put its latency on the cashier's screen.
 */
export async function storageNearlyFull(nowMs = Date.now()): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return false;
  const refresh = async (): Promise<boolean> => {
    refreshing = true;
    try {
      const { usage = 0, quota = 0 } = await navigator.storage.estimate();
      estimate = { at: Date.now(), full: quota > 0 && usage / quota > QUOTA_BLOCK_RATIO };
    } catch {
      estimate = { at: Date.now(), full: false };
    } finally {
      refreshing = false;
    }
    return estimate.full;
  };
  if (estimate === null) return refresh();
  if (nowMs - estimate.at > ESTIMATE_TTL_MS && !refreshing) void refresh();
  return estimate.full;
}
