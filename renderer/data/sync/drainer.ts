import type { ApiFailure } from '../api-client';
import { backoffMs, pushAll } from '../push';
import type { RedemptionRecord } from '../records';
import { queueDepth } from '../queue-depth';
import { pushSales, voidBarrier } from '../sales-push';
import { settleUnconfirmed, type SettleRound } from '../settle';
import type { TerminalContext } from '../terminal-context';

/** A record still 'sending' this long after its last touch belongs to a tab that died mid-call. */
const STALE_SENDING_MS = 60_000;
/** How often the drainer looks for records left 'sending' by a tab that died. */
const RECOVER_EVERY_MS = 10_000;
/** Batches of 500 on the wire at once while draining (the server answers each id idempotently). */
const PUSH_IN_FLIGHT = 2;

export interface DrainerOptions extends TerminalContext {
  readonly random: () => number;
  /** How long the drainer rests when the queue is empty and nothing wakes it. */
  readonly idleMs: number;
  readonly stopped: () => boolean;
  /** Called when this tab takes or loses the drain lock. */
  readonly onDraining: (draining: boolean) => void;
  /** The queue drained: the lease may be renewed now that nothing is left to charge to it. */
  readonly onDrained: () => void;
  readonly onFailure: (failure: ApiFailure) => void;
}

export interface Drainer {
  /** Wakes the drainer (here or, through the channel, in the tab that holds the lock). */
  readonly nudge: () => void;
  readonly stop: () => void;
}

/**
 * Pushes the queue (redemptions, then the sales that name them), then settles what is left unconfirmed, with backoff. Runs in every tab; only
 * the tab holding the Web Lock `tillpoint-drain:<terminal>` drains, so one terminal never pushes
 * the same queue twice at once. If that tab closes or crashes, the browser releases the lock and
 * the next tab takes over.
 */
export function startDrainer(options: DrainerOptions): Drainer {
  const { db, api, deps, terminal, connectivity, storage, random } = options;
  let draining = false;
  let failures = 0;
  /** The last settlement refusal shown to the cashier (settle.ts): told once, not per retry. */
  let lastSettleProblem: string | null = null;
  let wake: (() => void) | null = null;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
    });

  const channel = new BroadcastChannel(`tillpoint-queue:${terminal.terminalId}`);
  const wakeHere = (): void => {
    failures = 0;
    wake?.();
  };
  channel.onmessage = () => wakeHere();

  const failed = async (failure: ApiFailure, tell: boolean): Promise<void> => {
    failures += 1;
    if (tell) options.onFailure(failure);
    await sleep(backoffMs(failures, random));
  };
  const succeeded = (): void => {
    failures = 0;
    connectivity.markOnline();
  };

  /**
   * Records left 'sending' by a tab that died mid-call (or whose write-back failed). The cashier
   * was never told they were accepted, so they must not be redeemed later, and their request may
   * or may not have reached the server: unconfirmed, never pushed (redeem.ts, "Unconfirmed").
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

  async function attempt<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (error) {
      storage.report(error);
      return null;
    }
  }

  async function loop(): Promise<void> {
    draining = true;
    options.onDraining(true);
    let recoveredAt = -Infinity;
    while (!options.stopped()) {
      if (deps.now() - recoveredAt >= RECOVER_EVERY_MS) {
        recoveredAt = deps.now();
        await attempt(recoverInterrupted);
      }
      // Counted each round, so the server hears the figure with the next push or pull.
      const depth = await attempt(() => queueDepth(db));
      if (depth !== null) api.reportQueue(depth);
      if (!connectivity.online()) {
        // The probe (or any call that gets through) marks us online and wakes this loop.
        await sleep(backoffMs(Math.max(1, failures), random));
        if (!connectivity.online()) continue;
      }
      // A queued void holds back what was made after it until it is recorded (sales-push.ts).
      const until = await attempt(() => voidBarrier(db));
      const round =
        until === null ? null : await attempt(() => pushAll(db, api, deps, PUSH_IN_FLIGHT, until));
      if (round === null) {
        failures += 1;
        await sleep(backoffMs(failures, random));
        continue;
      }
      if (round.kind === 'failed') {
        await failed(round.failure, true);
        continue;
      }
      if (round.kind === 'pushed') {
        succeeded();
        if (!round.more) options.onDrained();
        continue;
      }
      // The redemptions are all on the server: now the sales that name them, in order.
      const sales = await attempt(() => pushSales(db, api, deps, until ?? Infinity));
      if (sales?.kind === 'failed') {
        await failed(sales.failure, true);
        continue;
      }
      if (sales?.kind === 'pushed') {
        succeeded();
        continue;
      }
      // The queue is drained: settle what is left unconfirmed, a bounded batch per wake-up.
      const settled: SettleRound | null = await attempt(() => settleUnconfirmed(db, api, deps));
      if (settled?.kind === 'failed') {
        const message = settled.failure.message;
        const tell = settled.failure.offline || message !== lastSettleProblem;
        if (!settled.failure.offline) lastSettleProblem = message;
        await failed(settled.failure, tell);
        continue;
      }
      if (settled?.kind === 'settled') {
        succeeded();
        lastSettleProblem = null;
        if (settled.more) continue;
      }
      await sleep(options.idleMs);
    }
  }

  const lockAbort = new AbortController();
  if (typeof navigator !== 'undefined' && navigator.locks) {
    navigator.locks
      .request(`tillpoint-drain:${terminal.terminalId}`, { signal: lockAbort.signal }, () => loop())
      .catch(() => undefined);
  } else {
    void loop();
  }

  return {
    nudge: () => {
      // Only the tab holding the drain lock acts on a nudge; when that is this one, stay local.
      if (!draining) channel.postMessage('queued');
      wakeHere();
    },
    stop: () => {
      wake?.();
      lockAbort.abort();
      channel.close();
    },
  };
}
