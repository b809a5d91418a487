import { pruneHistory, whenIdle } from './prune';
import { pullChanges } from './pull';
import { requeueAfterRestore } from './requeue';
import { rebuildLeaseUsage } from './offline-decision';
import type { ApiFailure } from './api-client';
import { isNetworkTrouble, type ProtocolProblem } from './network-trouble';
import { coalesce } from './sync/coalesce';
import { startDrainer } from './sync/drainer';
import { createLeaseKeeper } from './sync/lease';
import { openEventSocket, startProbe } from './sync/socket';
import { startStatus, type SyncStatus } from './sync/status';
import { createTimers } from './sync/timers';
import type { TerminalContext } from './terminal-context';

export type { SyncStatus } from './sync/status';

export interface SyncEngine {
  /** Wakes the drainer (here or in the tab that holds the lock). */
  readonly nudge: () => void;
  /** Push and pull now, skipping any backoff wait. */
  readonly syncNow: () => void;
  readonly stop: () => void;
}

export interface SyncEngineOptions extends TerminalContext {
  readonly random?: () => number;
  readonly onStatus: (status: SyncStatus) => void;
  readonly onProtocolError: (problem: ProtocolProblem) => void;
  /** How often to pull when no nudge comes (the socket may be lost). */
  readonly pollMs?: number;
}

/**
 * The terminal's sync: the drainer pushes the queue (sync/drainer.ts), pulls follow the change
 * feed on a socket nudge or a poll, the lease keeper renews the offline allowance
 * (sync/lease.ts), and the status bar is fed from what they leave in the database
 * (sync/status.ts).
 */
export function startSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, api, deps, terminal, connectivity, storage } = options;
  const random = options.random ?? Math.random;
  const pollMs = options.pollMs ?? 30_000;
  let stopped = false;
  let draining = false;
  const isStopped = () => stopped;
  const timers = createTimers();

  /** Network trouble marks the tab offline (and tells the cashier so); the rest is a problem. */
  const onFailure = (failure: ApiFailure): void => {
    if (isNetworkTrouble(failure)) connectivity.markOffline(failure.message);
    else options.onProtocolError(failure);
  };

  const status = startStatus({
    db,
    deps,
    connectivity,
    storage,
    draining: () => draining,
    onStatus: options.onStatus,
  });
  const ensureLease = createLeaseKeeper({ ...options, stopped: isStopped, onFailure });
  const drainer = startDrainer({
    ...options,
    random,
    idleMs: pollMs / 10,
    stopped: isStopped,
    onDraining: (d) => {
      draining = d;
      status.publish();
    },
    onDrained: () => void ensureLease(),
    onFailure,
  });

  const pullAndLease = coalesce(
    async () => {
      let pulled = await pullChanges(db, api, deps);
      if (!pulled.ok && pulled.failure.code === 'FEED_RESET') {
        // The server was restored from a backup: push what it may have lost, then pull afresh.
        await requeueAfterRestore(db, deps.now());
        drainer.nudge();
        pulled = await pullChanges(db, api, deps);
      }
      if (!pulled.ok) return onFailure(pulled.failure);
      connectivity.markOnline();
      await ensureLease();
    },
    { stopped: isStopped, onError: (error) => storage.report(error) },
  );

  const unsubscribeConnectivity = connectivity.subscribe((online) => {
    status.publish();
    if (online) {
      drainer.nudge();
      void pullAndLease();
    }
  });

  const closeSocket = openEventSocket({
    db,
    api,
    token: terminal.token,
    connectivity,
    random,
    timers,
    stopped: isStopped,
    onNews: () => void pullAndLease(),
  });
  startProbe({ api, connectivity, random, timers, stopped: isStopped });
  const poll = setInterval(() => void pullAndLease(), pollMs);
  // At start-up and hourly, in small batches that wait for the browser to be idle in between.
  const prune = setInterval(
    () => void pruneHistory(db, deps.now(), whenIdle).catch(() => undefined),
    3_600_000,
  );
  void pruneHistory(db, deps.now(), whenIdle).catch((error: unknown) => storage.report(error));
  // The lease usage summary is a cache of what the records say: recount it once on start.
  void rebuildLeaseUsage(db).catch((error: unknown) => storage.report(error));
  void pullAndLease();

  return {
    nudge: drainer.nudge,
    syncNow: () => {
      drainer.nudge();
      void pullAndLease();
      if (!connectivity.online()) void api.health().then((h) => h.ok && connectivity.markOnline());
    },
    stop: () => {
      stopped = true;
      drainer.stop();
      clearInterval(poll);
      clearInterval(prune);
      timers.clear();
      status.stop();
      unsubscribeConnectivity();
      closeSocket();
    },
  };
}
