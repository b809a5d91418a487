import Dexie, { type ObservabilitySet } from 'dexie';
import type { Fen } from '../../core/money';
import { ServerEvent } from '../../core/protocol/index';
import { allowanceRoom, rebuildLeaseUsage } from './offline-decision';
import { pruneHistory } from './prune';
import { pullChanges } from './pull';
import { backoffMs, pushAll } from './push';
import type { RedemptionRecord } from './records';
import { settleUnconfirmed, type SettleRound } from './settle';
import type { TerminalContext } from './terminal-context';

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

export interface SyncEngineOptions extends TerminalContext {
  readonly random?: () => number;
  readonly onStatus: (status: SyncStatus) => void;
  readonly onProtocolError: (message: string) => void;
  /** How often to pull when no nudge comes (the socket may be lost). */
  readonly pollMs?: number;
}

/** A record still 'sending' this long after its last touch belongs to a tab that died mid-call. */
const STALE_SENDING_MS = 60_000;
/**
 * While the server is unreachable it is probed every 0.5–1 s (jittered, so a chain's terminals do
 * not probe in step): a health check is one tiny GET, and the drain starts as soon as one passes.
 */
const PROBE_MS = 1_000;
/**
 * The status bar is recomputed at most this often after the data it shows changes, and never
 * synchronously with a write: a burst of scans or a 500-item write-back causes one recomputation,
 * not one per write, and it never sits between a scan and its result.
 */
const STATUS_DEBOUNCE_MS = 200;
/** How often the drainer looks for records left 'sending' by a tab that died. */
const RECOVER_EVERY_MS = 10_000;
/** Batches of 500 on the wire at once while draining (the server answers each id idempotently). */
const PUSH_IN_FLIGHT = 2;

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
  /** The last settlement refusal shown to the cashier (settle.ts). */
  let lastSettleProblem: string | null = null;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const channel = new BroadcastChannel(`tillpoint-queue:${terminal.terminalId}`);
  const nudgeLocal = (): void => {
    failures = 0;
    wake?.();
  };
  channel.onmessage = () => nudgeLocal();
  const nudge = (): void => {
    // Only the tab holding the drain lock acts on a nudge; when that is this one, stay local.
    if (!draining) channel.postMessage('queued');
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

  // --- status, recomputed (debounced) whenever the tables it reads change, in any tab ---
  // Null until the first read: publishing made-up zeros ("0 queued") before the queue has been
  // read would let anyone watching the status bar (a cashier, a test) believe a drain finished.
  let latest: Pick<SyncStatus, 'queued' | 'conflicts' | 'lastSyncAt' | 'allowance'> | null = null;
  const publish = (): void => {
    if (latest === null) return;
    options.onStatus({
      online: connectivity.online(),
      draining,
      lastError: lastError ?? connectivity.lastError(),
      ...latest,
    });
  };
  /** Index counts and key reads only: cheap whatever the size of the history. */
  const readStatus = () =>
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
  let statusTimer: ReturnType<typeof setTimeout> | null = null;
  let statusRunning = false;
  let statusAgain = false;
  async function refreshStatus(): Promise<void> {
    if (statusRunning) {
      statusAgain = true;
      return;
    }
    statusRunning = true;
    try {
      do {
        statusAgain = false;
        // The read starts after the writes that triggered it committed, so what it shows is
        // never older than what the queue view (or any later read) shows.
        latest = await readStatus();
        if (!stopped) publish();
      } while (statusAgain && !stopped);
    } catch (error) {
      options.storage.report(error);
    } finally {
      statusRunning = false;
    }
  }
  const scheduleStatus = (): void => {
    if (statusTimer !== null || stopped) return;
    statusTimer = setTimeout(() => {
      statusTimer = null;
      void refreshStatus();
    }, STATUS_DEBOUNCE_MS);
  };
  const watched = [`idb://${db.name}/redemptions/`, `idb://${db.name}/meta/`];
  const onMutated = (parts: ObservabilitySet): void => {
    // Parts are keyed idb://<db>/<table>/<index>; anything else is a "everything changed" signal.
    for (const key of Object.keys(parts))
      if (!key.startsWith('idb://') || watched.some((w) => key.startsWith(w))) {
        scheduleStatus();
        return;
      }
  };
  Dexie.on.storagemutated.subscribe(onMutated);
  void refreshStatus();
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
    let recoveredAt = -Infinity;
    while (!stopped) {
      if (deps.now() - recoveredAt >= RECOVER_EVERY_MS) {
        recoveredAt = deps.now();
        try {
          await recoverInterrupted();
        } catch (error) {
          options.storage.report(error);
        }
      }
      if (!connectivity.online()) {
        // The probe (or any call that gets through) marks us online and wakes this loop.
        await sleep(backoffMs(Math.max(1, failures), random));
        if (!connectivity.online()) continue;
      }
      let round;
      try {
        round = await pushAll(db, api, deps, PUSH_IN_FLIGHT);
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
      // The queue is drained: settle what is left unconfirmed, a bounded batch per wake-up.
      let settled: SettleRound | null;
      try {
        settled = await settleUnconfirmed(db, api, deps);
      } catch (error) {
        options.storage.report(error);
        settled = null;
      }
      if (settled?.kind === 'failed') {
        failures += 1;
        lastError = settled.failure.message;
        if (settled.failure.offline) connectivity.markOffline(settled.failure.message);
        else if (settled.failure.message !== lastSettleProblem) {
          // Told once, not on every retry: the records keep the message (queue view).
          lastSettleProblem = settled.failure.message;
          options.onProtocolError(settled.failure.message);
        }
        publish();
        await sleep(backoffMs(failures, random));
        continue;
      }
      if (settled?.kind === 'settled') {
        failures = 0;
        lastError = null;
        lastSettleProblem = null;
        connectivity.markOnline();
        if (settled.more) continue;
      }
      await sleep(pollMs / 10);
    }
  }

  /**
   * Records left 'sending' by a tab that died mid-call (or whose write-back failed). The cashier
   * was never told they were accepted, so they must not be redeemed later, and their request may
   * or may not have reached the server: unconfirmed, never pushed (redeem.ts, "Unconfirmed").
   * Checked every few seconds, so one left by a tab that died a moment ago is not stuck 'sending'.
   */
  async function recoverInterrupted(): Promise<void> {
    const cutoff = deps.now() - STALE_SENDING_MS;
    const stale = (r: RedemptionRecord): boolean => r.updatedAt < cutoff;
    // A read first: a read-write transaction on every round would queue behind (and hold up) scans.
    if ((await db.redemptions.where('state').equals('sending').filter(stale).count()) === 0) return;
    await db.redemptions
      .where('state')
      .equals('sending')
      .filter(stale)
      .modify((r) => {
        r.state = 'unconfirmed';
        r.queued = 0;
        r.lastError ??= 'interrupted';
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
   * expiry) and nothing is queued that still has to be charged: a new lease replaces the old one
   * on the server, so it is never renewed under redemptions still on their way.
   * Calls are serialised (here, and across this terminal's tabs by a Web Lock): two overlapping
   * requests would get two leases, the first replaced by the second on the server, and the
   * terminal could keep the replaced one — every offline redemption under it would then come back
   * as a conflict. A lease is only ever stored over an older one.
   */
  let leaseRunning = false;
  let leaseAgain = false;
  async function ensureLease(): Promise<void> {
    if (leaseRunning) {
      leaseAgain = true;
      return;
    }
    leaseRunning = true;
    try {
      do {
        leaseAgain = false;
        if (typeof navigator !== 'undefined' && navigator.locks)
          await navigator.locks.request(`tillpoint-lease:${terminal.terminalId}`, () =>
            renewLeaseIfDue(),
          );
        else await renewLeaseIfDue();
      } while (leaseAgain && !stopped);
    } catch (error) {
      options.storage.report(error);
    } finally {
      leaseRunning = false;
    }
  }

  async function renewLeaseIfDue(): Promise<void> {
    if (stopped) return;
    const now = deps.now();
    const meta = await db.meta.get('lease');
    if (meta?.key === 'lease') {
      const { issuedAt, expiresAt } = meta.lease;
      const issued = Date.parse(issuedAt);
      const expires = Date.parse(expiresAt);
      if (expires > now) {
        const room = await allowanceRoom(db, now);
        const used = room.ok && room.usedCount > 0;
        if (!used && now - issued < (expires - issued) / 2) return;
        const stillQueued = await db.redemptions
          .where('[queued+createdAt]')
          .between([1, -Infinity], [1, Infinity])
          .count();
        if (stillQueued > 0) return;
      }
    }
    const lease = await api.allowance();
    if (lease.ok) {
      const fresh = lease.value;
      await db.transaction('rw', db.meta, async () => {
        const current = await db.meta.get('lease');
        if (
          current?.key === 'lease' &&
          Date.parse(current.lease.issuedAt) > Date.parse(fresh.issuedAt)
        )
          return;
        await db.meta.put({ key: 'lease', lease: fresh });
        await db.meta.put({
          key: 'leaseUsage',
          leaseId: fresh.leaseId,
          count: 0,
          valueFen: 0 as Fen,
        });
      });
    } else if (lease.offline) connectivity.markOffline(lease.message);
    else options.onProtocolError(lease.message);
  }

  async function probe(): Promise<void> {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(
          () => {
            timers.delete(t);
            resolve();
          },
          Math.round(PROBE_MS * (0.5 + random() * 0.5)),
        );
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
    const url = api.eventsUrl(terminal.token);
    try {
      socket = new WebSocket(url);
    } catch {
      scheduleSocket();
      return;
    }
    socket.onopen = () => {
      // The server is back: no need to wait for the next probe.
      socketFailures = 0;
      connectivity.markOnline();
    };
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
  // The lease usage summary is a cache of what the records say: recount it once on start.
  void rebuildLeaseUsage(db).catch((error: unknown) => options.storage.report(error));
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
      Dexie.on.storagemutated.unsubscribe(onMutated);
      if (statusTimer !== null) clearTimeout(statusTimer);
      unsubscribeConnectivity();
      channel.close();
      socket?.close();
    },
  };
}
