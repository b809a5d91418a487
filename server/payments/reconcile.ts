import { randomUUID } from 'node:crypto';
import type { Storage } from '../db/storage';
import type { CodePaymentTiming } from './code-payment';
import { claimRefundPart, dueRefundParts, sweepRefundPart } from './ledger/refund-sweep';
import { paymentRow, type PaymentRow } from './ledger/rows';
import { FOLLOWED, settleStep, type StepDeps } from './ledger/settle-step';
import type { PaymentProvider } from './provider';
import type { PaymentLog } from './wechat/http-client';

/** ServerOptions.payments.reconcile: how the server follows payments WeChat has not settled. */
export interface ReconcileOptions {
  /** Between sweeps for payments left unsettled (lost notification, crash, a failing reverse). */
  readonly intervalMs: number;
  /** A Native payment is swept only this long after its last change (its till polls it meanwhile). */
  readonly graceMs: number;
  /** How long an instance's claim on a payment lasts past its next planned look. */
  readonly leaseMs: number;
  /** Payments claimed per sweep. */
  readonly batch: number;
}

export const DEFAULT_RECONCILE: ReconcileOptions = {
  intervalMs: 30_000,
  graceMs: 60_000,
  leaseMs: 60_000,
  batch: 50,
};

/**
 * How long stop() waits for steps in flight (a WeChat call can take its whole timeout); one cut
 * short leaves its lease to run out, and the payment to the next sweep.
 */
const STOP_GRACE_MS = 2_000;

/** A wait this long or longer is not slept through by a follower: the payment is parked for a sweep. */
const PARK_AFTER_MS = 10_000;

/**
 * Order queries confirming notifications run this many at a time: a burst of notifications is
 * acknowledged at once and confirmed behind it, without a query per notification in flight
 * (each is a signed call to WeChat) starving the requests the server is answering.
 */
const CONFIRMING_AT_ONCE = 8;

export interface FollowerDeps {
  readonly storage: Storage;
  readonly provider: PaymentProvider;
  readonly now: () => string;
  readonly timing: CodePaymentTiming;
  readonly options: ReconcileOptions;
  readonly log: PaymentLog;
}

const plus = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

/**
 * Follows the payments WeChat has not settled for us: a payment code the server just charged
 * (polled every few seconds until paid, or reversed at the deadline), and — at start-up and every
 * `intervalMs` — every payment left unsettled past its time, on any instance. Before it looks at a
 * payment an instance claims it with a lease (a conditional update of lease_owner / lease_until),
 * so on several instances sharing one database each payment is queried and settled by one of them;
 * a crashed instance's leases run out and another takes over. The sweep also finishes refund parts
 * WeChat left unsettled (ledger/refund-sweep.ts), each claimed the same way.
 */
export class PaymentFollower {
  /** This instance, in lease_owner. */
  readonly owner = randomUUID();
  private readonly step: StepDeps;
  private readonly running = new Set<Promise<void>>();
  private readonly sleeping = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;
  private stopped = false;
  /** Notified payments waiting for their order query, by `terminal/id`, oldest first. */
  private readonly toConfirm = new Map<string, { terminalId: string; id: string }>();
  private confirming = 0;
  /** Payments a loop of this instance is stepping, by `terminal/id`. */
  private readonly driving = new Set<string>();

  constructor(private readonly deps: FollowerDeps) {
    this.step = {
      storage: deps.storage,
      provider: deps.provider,
      now: deps.now,
      timing: deps.timing,
      retryMs: Math.min(deps.options.intervalMs, deps.timing.reverseIntervalMs),
      sweepMs: deps.options.intervalMs,
    };
  }

  /** A lease for a payment this instance is about to charge (written with its row). */
  lease(now: string): { lease_owner: string; lease_until: string } {
    return { lease_owner: this.owner, lease_until: plus(now, this.deps.options.leaseMs) };
  }

  /** Sweeps now, then every intervalMs. */
  start(): void {
    this.sweepSoon();
    this.timer = setInterval(() => this.sweepSoon(), this.deps.options.intervalMs);
    this.timer.unref();
  }

  /** Follows a payment this instance holds the lease of, in the background. */
  follow(terminalId: string, id: string): void {
    if (this.stopped) return; // its lease runs out; the next sweep (here or elsewhere) takes it
    this.track(this.drive(terminalId, id));
  }

  /**
   * Confirms a payment whose notification was just stored (ledger/notify.ts) with an order query,
   * soon, in the background. It is claimed like a swept one: one still followed elsewhere is left
   * to that instance, and one this instance never gets to (stopped, crashed) to the next sweep.
   */
  confirm(terminalId: string, id: string): void {
    if (this.stopped) return;
    this.toConfirm.set(`${terminalId}/${id}`, { terminalId, id });
    this.confirmNext();
  }

  /**
   * Closes or reverses, soon and in the background, a payment whose sale was just voided
   * (sales/replace.ts moved it to 'reversing'); claimed as `confirm` claims, so one instance does it.
   */
  takeBack(terminalId: string, id: string): void {
    this.confirm(terminalId, id);
  }

  private confirmNext(): void {
    while (this.confirming < CONFIRMING_AT_ONCE && !this.stopped) {
      const next = this.toConfirm.entries().next();
      if (next.done === true) return;
      const [key, { terminalId, id }] = next.value;
      this.toConfirm.delete(key);
      this.confirming += 1;
      const work = (async () => {
        if (await this.claim(terminalId, id, { parked: true })) await this.drive(terminalId, id);
      })();
      this.track(
        work.finally(() => {
          this.confirming -= 1;
          this.confirmNext();
        }),
      );
    }
  }

  /** One sweep (tests call it to reconcile now); concurrent calls share it. */
  async sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  /** Stops sweeping and following; payments being followed are released for the next instance. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const wake of this.sleeping) wake();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running, this.sweeping]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, STOP_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private sweepSoon(): void {
    this.track(this.sweep());
  }

  private track(work: Promise<void>): void {
    const p = work.catch((e: unknown) => {
      this.deps.log.warn(
        { err: e instanceof Error ? e.message : String(e) },
        'payment follow-up failed',
      );
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async sweepOnce(): Promise<void> {
    if (this.stopped) return;
    const now = this.deps.now();
    const settledBefore = plus(now, -this.deps.options.graceMs);
    const due = await this.deps.storage.db
      .selectFrom('payments')
      .select(['terminal_id', 'id'])
      .where('state', 'in', [...FOLLOWED])
      .where('held', '=', 0)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .where((eb) => eb.or([eb('method', '=', 'code'), eb('updated_at', '<=', settledBefore)]))
      .orderBy('updated_at')
      .limit(this.deps.options.batch)
      .execute();
    for (const { terminal_id, id } of due) {
      if (this.stopped) return;
      if (await this.claim(terminal_id, id)) this.track(this.drive(terminal_id, id));
    }
    await this.sweepRefunds(settledBefore);
  }

  /**
   * Refund parts WeChat left unsettled past the grace (an answer or a notification lost, the till
   * gone): each claimed by one instance (claimRefundPart), then sent again or queried.
   */
  private async sweepRefunds(since: string): Promise<void> {
    const due = await dueRefundParts(this.deps.storage, since, this.deps.options.batch);
    for (const part of due) {
      if (this.stopped) return;
      if (!(await claimRefundPart(this.deps.storage, part, since, this.deps.now()))) continue;
      this.track(sweepRefundPart(this.deps.storage, this.deps.provider, part, this.deps.now()));
    }
  }

  /**
   * Takes the payment's lease if it is free (or ours): true when this instance may settle it.
   * `parked`: also one released until later (a Native order between sweeps), which news from
   * WeChat makes due now.
   */
  private async claim(
    terminalId: string,
    id: string,
    how: { readonly parked?: boolean } = {},
  ): Promise<boolean> {
    const now = this.deps.now();
    const taken = await this.deps.storage.write((w) =>
      w.trx
        .updateTable('payments')
        .set({ lease_owner: this.owner, lease_until: plus(now, this.deps.options.leaseMs) })
        .where('terminal_id', '=', terminalId)
        .where('id', '=', id)
        .where('state', 'in', [...FOLLOWED])
        .where('held', '=', 0)
        .where((eb) =>
          eb.or([
            eb('lease_until', 'is', null),
            eb('lease_until', '<=', now),
            eb('lease_owner', '=', this.owner),
            ...(how.parked === true ? [eb('lease_owner', 'is', null)] : []),
          ]),
        )
        .executeTakeFirst(),
    );
    return Number(taken.numUpdatedRows) === 1;
  }

  /**
   * Steps the payment while this instance holds its lease: renewed before each wait, given up
   * (free at once) when final or when stopping, parked (free from a later instant) before a long
   * wait, so a sweep — here or on another instance — takes it up then.
   */
  private async drive(terminalId: string, id: string): Promise<void> {
    const key = `${terminalId}/${id}`;
    // One loop per payment here: the one already at it reads the row afresh at its next look.
    if (this.driving.has(key)) return;
    this.driving.add(key);
    try {
      await this.driveLoop(terminalId, id);
    } finally {
      this.driving.delete(key);
    }
  }

  private async driveLoop(terminalId: string, id: string): Promise<void> {
    for (;;) {
      const row = await paymentRow(this.deps.storage.db, terminalId, id);
      if (row === undefined || row.lease_owner !== this.owner) return;
      if (this.stopped) return this.release(row, this.deps.now());
      let next: number | null;
      try {
        next = await settleStep(this.step, row);
      } catch (e) {
        this.deps.log.warn(
          { paymentId: id, err: e instanceof Error ? e.message : String(e) },
          'payment settle step failed; retrying later',
        );
        next = this.deps.options.intervalMs;
      }
      const now = this.deps.now();
      if (next === null) return this.release(row, now);
      if (next >= PARK_AFTER_MS || this.stopped) return this.release(row, plus(now, next));
      if (!(await this.renew(row, plus(now, next + this.deps.options.leaseMs)))) return;
      if (next > 0) await this.sleep(next);
    }
  }

  private async renew(row: PaymentRow, until: string): Promise<boolean> {
    const renewed = await this.deps.storage.write((w) =>
      w.trx
        .updateTable('payments')
        .set({ lease_until: until })
        .where('terminal_id', '=', row.terminal_id)
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.owner)
        .executeTakeFirst(),
    );
    return Number(renewed.numUpdatedRows) === 1;
  }

  /** Lets go of the lease; nobody looks at the payment again before `from`. */
  private async release(row: PaymentRow, from: string): Promise<void> {
    await this.deps.storage.write((w) =>
      w.trx
        .updateTable('payments')
        .set({ lease_owner: null, lease_until: from })
        .where('terminal_id', '=', row.terminal_id)
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.owner)
        .execute(),
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        this.sleeping.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.sleeping.add(wake);
    });
  }
}
