import Dexie, { type ObservabilitySet } from 'dexie';
import type { Fen } from '../../../core/money';
import { allowanceRoom } from '../offline-decision';
import type { TerminalContext } from '../terminal-context';
import { coalesce } from './coalesce';

/** What the status bar shows. */
export interface SyncStatus {
  readonly online: boolean;
  /**
   * The last exchange with the server failed on the line (unreachable, no answer, cut or
   * unreadable answer) and none has got through since: "network unstable, retrying".
   */
  readonly networkTrouble: boolean;
  readonly lastSyncAt: number | null;
  readonly queued: number;
  readonly conflicts: number;
  readonly allowance: {
    readonly count: number;
    readonly valueFen: Fen;
    readonly expiresAt: string;
  } | null;
  /** This tab holds the drain lock. */
  readonly draining: boolean;
}

type StoredPart = Pick<SyncStatus, 'queued' | 'conflicts' | 'lastSyncAt' | 'allowance'>;

export interface StatusPublisher {
  /** Publishes again with the live parts (connectivity, draining) and the last read. */
  readonly publish: () => void;
  readonly stop: () => void;
}

/**
 * The status bar is recomputed at most this often after the data it shows changes, and never
 * synchronously with a write: a burst of scans or a 500-item write-back causes one recomputation,
 * not one per write, and it never sits between a scan and its result.
 */
const STATUS_DEBOUNCE_MS = 200;

/**
 * Publishes the sync status, re-read (debounced) whenever the tables it reads change, in any tab.
 * Nothing is published before the first read: made-up zeros ("0 queued") before the queue has
 * been read would let anyone watching the status bar (a cashier, a test) believe a drain finished.
 */
export function startStatus(
  options: Pick<TerminalContext, 'db' | 'deps' | 'connectivity' | 'storage'> & {
    readonly draining: () => boolean;
    readonly onStatus: (status: SyncStatus) => void;
  },
): StatusPublisher {
  const { db, deps, connectivity } = options;
  let stopped = false;
  let latest: StoredPart | null = null;

  const publish = (): void => {
    if (latest === null || stopped) return;
    const online = connectivity.online();
    options.onStatus({
      online,
      networkTrouble: !online && connectivity.lastError() !== null,
      draining: options.draining(),
      ...latest,
    });
  };

  /** Index counts and key reads only: cheap whatever the size of the history. */
  const read = (): Promise<StoredPart> =>
    db.transaction('r', db.redemptions, db.meta, async () => {
      const [queued, conflicts, lastPush, cursor, room] = await Promise.all([
        db.redemptions.where('[queued+createdAt]').between([1, -Infinity], [1, Infinity]).count(),
        db.redemptions.where('unseenConflict').equals(1).count(),
        db.meta.get('lastPush'),
        db.meta.get('cursor'),
        allowanceRoom(db, deps.now()),
      ]);
      const pushAt = lastPush?.key === 'lastPush' ? lastPush.at : null;
      const pullAt = cursor?.key === 'cursor' ? cursor.pulledAt : null;
      return {
        queued,
        conflicts,
        lastSyncAt: Math.max(pushAt ?? 0, pullAt ?? 0) || null,
        allowance: room.ok
          ? { count: room.count, valueFen: room.valueFen, expiresAt: room.lease.expiresAt }
          : null,
      };
    });

  // The read starts after the writes that triggered it committed, so what it shows is never
  // older than what the queue view (or any later read) shows.
  const refresh = coalesce(
    async () => {
      latest = await read();
      publish();
    },
    { stopped: () => stopped, onError: (error) => options.storage.report(error) },
  );

  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = (): void => {
    if (timer !== null || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void refresh();
    }, STATUS_DEBOUNCE_MS);
  };
  const watched = [`idb://${db.name}/redemptions/`, `idb://${db.name}/meta/`];
  const onMutated = (parts: ObservabilitySet): void => {
    // Parts are keyed idb://<db>/<table>/<index>; anything else is a "everything changed" signal.
    for (const key of Object.keys(parts))
      if (!key.startsWith('idb://') || watched.some((w) => key.startsWith(w))) {
        schedule();
        return;
      }
  };
  Dexie.on.storagemutated.subscribe(onMutated);
  void refresh();

  return {
    publish,
    stop: () => {
      stopped = true;
      Dexie.on.storagemutated.unsubscribe(onMutated);
      if (timer !== null) clearTimeout(timer);
    },
  };
}
