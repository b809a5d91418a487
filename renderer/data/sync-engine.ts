import { liveQuery } from 'dexie';
import type { Fen } from '../../core/money';
import { ServerEvent } from '../../core/protocol/index';
import type { ApiClient } from './api-client';
import type { Connectivity } from './connectivity';
import type { TillpointDb } from './db';
import type { Deps } from './deps';
import { allowanceRoom } from './offline-decision';
import { pruneHistory } from './prune';
import { pullChanges } from './pull';
import { backoffMs, pushOnce } from './push';
import type { TerminalRecord } from './records';
import type { StorageHealth } from './storage-health';

/** What the status bar shows. */
export interface SyncStatus {
  readonly online: boolean;
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
  readonly lastError: string | null;
}

export interface SyncEngine {
  /** Wakes the drainer (here or in the tab that holds the lock). */
  readonly nudge: () => void;
  /** Push and pull now, skipping any backoff wait. */
  readonly syncNow: () => void;
  readonly stop: () => void;
}

export interface SyncEngineOptions {
  readonly db: TillpointDb;
  readonly api: ApiClient;
  readonly deps: Deps;
  readonly terminal: TerminalRecord;
  readonly connectivity: Connectivity;
  readonly storage: StorageHealth;
  readonly random?: () => number;
  readonly onStatus: (status: SyncStatus) => void;
  readonly onProtocolError: (message: string) => void;
  /** How often to pull when no nudge comes (the socket may be lost). */
  readonly pollMs?: number;
}

/** A record still 'sending' this long after its last touch belongs to a tab that died mid-call. */
const STALE_SENDING_MS = 60_000;
const PROBE_MS = 2_000;

/**
 * Runs in every tab; only the tab holding the Web Lock `tillpoint-drain:<terminal>` pushes, so one
 * terminal never pushes the same queue twice at once. If that tab closes or crashes, the browser
 * releases the lock and the next tab takes over.
 */
export function startSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, api, deps, terminal, connectivity } = options;
  const random = options.random ?? Math.random;
  const pollMs = options.pollMs ?? 30_000;
  let stopped = false;
  let draining = false;
  let lastError: string | null = null;
  let wake: (() => void) | null = null;
  let failures = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const channel = new BroadcastChannel(`tillpoint-queue:${terminal.terminalId}`);
  const nudgeLocal = (): void => {
    failures = 0;
    wake?.();
  };
  channel.onmessage = () => nudgeLocal();
  const nudge = (): void => {
    channel.postMessage('queued');
    nudgeLocal();
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        wake = null;
        resolve();
      }, ms);
      timers.add(t);
      wake = () => {
        clearTimeout(t);
        timers.delete(t);
        wake = null;
        resolve();
      };
    });

  // --- status, recomputed whenever the tables it reads change (in any tab) ---
  let latest = {
    queued: 0,
    conflicts: 0,
    lastSyncAt: null as number | null,
    allowance: null as SyncStatus['allowance'],
  };
  const publish = (): void =>
    options.onStatus({
      online: connectivity.online(),
      draining,
      lastError: lastError ?? connectivity.lastError(),
      ...latest,
    });
  const subscription = liveQuery(async () => {
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
  }).subscribe({
    next: (value) => {
      latest = value;
      publish();
    },
    error: (error: unknown) => options.storage.report(error),
  });
  const unsubscribeConnectivity = connectivity.subscribe((online) => {
    publish();
    if (online) {
      nudge();
      void pullAndLease();
    }
  });

  // --- drainer: one per terminal across tabs ---
  async function drainLoop(): Promise<void> {
    draining = true;
    publish();
    await recoverInterrupted();
    while (!stopped) {
      if (!connectivity.online()) {
        // The probe (or any call that gets through) marks us online and wakes this loop.
        await sleep(backoffMs(Math.max(1, failures), random));
        if (!connectivity.online()) continue;
      }
      let round;
      try {
        round = await pushOnce(db, api, deps);
      } catch (error) {
        options.storage.report(error);
        round = null;
      }
      if (round?.kind === 'pushed') {
        failures = 0;
        lastError = null;
        connectivity.markOnline();
        if (round.more) continue;
        void ensureLease();
        continue;
      }
      if (round?.kind === 'failed') {
        failures += 1;
        lastError = round.failure.message;
        if (round.failure.offline) connectivity.markOffline(round.failure.message);
        else options.onProtocolError(round.failure.message);
        publish();
        await sleep(backoffMs(failures, random));
        continue;
      }
      if (round === null) {
        failures += 1;
        await sleep(backoffMs(failures, random));
        continue;
      }
      await sleep(pollMs / 10);
    }
  }

  /** Records left 'sending' by a tab that died mid-call: the cashier was never told they passed. */
  async function recoverInterrupted(): Promise<void> {
    const cutoff = deps.now() - STALE_SENDING_MS;
    await db.redemptions
      .where('state')
      .equals('sending')
      .filter((r) => r.updatedAt < cutoff)
      .modify((r) => {
        r.state = 'pending';
      });
  }

  const lockName = `tillpoint-drain:${terminal.terminalId}`;
  const lockAbort = new AbortController();
  if (typeof navigator !== 'undefined' && navigator.locks) {
    navigator.locks
      .request(lockName, { signal: lockAbort.signal }, () => drainLoop())
      .catch(() => undefined);
  } else {
    void drainLoop();
  }

  // --- pull, lease, probe ---
  let pulling = false;
  async function pullAndLease(): Promise<void> {
    if (pulling || stopped) return;
    pulling = true;
    try {
      const pulled = await pullChanges(db, api, deps);
      if (pulled.ok) {
        connectivity.markOnline();
        await ensureLease();
      } else if (pulled.failure.offline) connectivity.markOffline(pulled.failure.message);
      else options.onProtocolError(pulled.failure.message);
    } catch (error) {
      options.storage.report(error);
    } finally {
      pulling = false;
    }
  }

  /**
   * A fresh lease when there is none, it has expired, or it has been drawn on (or is half way to
   * expiry) and nothing queued still counts against it: a new lease replaces the old one on the
   * server, so it is never renewed under redemptions that still have to be charged to it.
   */
  async function ensureLease(): Promise<void> {
    const now = deps.now();
    const meta = await db.meta.get('lease');
    if (meta?.key === 'lease') {
      const { issuedAt, expiresAt, leaseId } = meta.lease;
      const issued = Date.parse(issuedAt);
      const expires = Date.parse(expiresAt);
      if (expires > now) {
        const room = await allowanceRoom(db, now);
        const used = room.ok && room.usedCount > 0;
        if (!used && now - issued < (expires - issued) / 2) return;
        const stillQueued = await db.redemptions
          .where('[queued+createdAt]')
          .between([1, -Infinity], [1, Infinity])
          .filter((r) => r.request.offline?.leaseId === leaseId)
          .count();
        if (stillQueued > 0) return;
      }
    }
    const lease = await api.allowance();
    if (lease.ok) await db.meta.put({ key: 'lease', lease: lease.value });
    else if (lease.offline) connectivity.markOffline(lease.message);
    else options.onProtocolError(lease.message);
  }

  async function probe(): Promise<void> {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, PROBE_MS);
        timers.add(t);
      });
      if (stopped) return;
      if (!connectivity.online()) {
        const health = await api.health();
        if (health.ok) connectivity.markOnline();
      }
    }
  }

  // --- socket nudge plus polling ---
  let socket: WebSocket | null = null;
  let socketFailures = 0;
  function openSocket(): void {
    if (stopped) return;
    const url = new URL(`${api.baseUrl}/v1/events`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', terminal.token);
    try {
      socket = new WebSocket(url);
    } catch {
      scheduleSocket();
      return;
    }
    socket.onmessage = (message) => {
      socketFailures = 0;
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const event = ServerEvent.safeParse(data);
      if (!event.success) return;
      void (async () => {
        const meta = await db.meta.get('cursor');
        if (meta?.key !== 'cursor' || meta.cursor !== event.data.cursor) await pullAndLease();
      })();
    };
    socket.onclose = () => {
      socket = null;
      scheduleSocket();
    };
  }
  function scheduleSocket(): void {
    if (stopped) return;
    socketFailures += 1;
    const t = setTimeout(
      () => {
        timers.delete(t);
        openSocket();
      },
      backoffMs(socketFailures, random, 30_000),
    );
    timers.add(t);
  }

  const poll = setInterval(() => void pullAndLease(), pollMs);
  const prune = setInterval(
    () => void pruneHistory(db, deps.now()).catch(() => undefined),
    3_600_000,
  );
  void pruneHistory(db, deps.now()).catch((error: unknown) => options.storage.report(error));
  void pullAndLease();
  void probe();
  openSocket();

  return {
    nudge,
    syncNow: () => {
      nudge();
      void pullAndLease();
      if (!connectivity.online()) void api.health().then((h) => h.ok && connectivity.markOnline());
    },
    stop: () => {
      stopped = true;
      wake?.();
      lockAbort.abort();
      clearInterval(poll);
      clearInterval(prune);
      for (const t of timers) clearTimeout(t);
      subscription.unsubscribe();
      unsubscribeConnectivity();
      channel.close();
      socket?.close();
    },
  };
}
