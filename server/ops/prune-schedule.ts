import type { Logger } from 'pino';
import type { Storage } from '../db/storage';
import { pruneOnce, retentionCutoff, type PruneReport } from './prune';

export interface PruneSchedule {
  readonly days: number;
  /** Hours between prunes after the one at start-up. */
  readonly everyHours: number;
}

/** The prune at start-up and then daily; one at a time; each outcome logged. */
export class Pruner {
  private running: Promise<PruneReport | null> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly schedule: PruneSchedule,
    private readonly now: () => string,
    private readonly log: Logger,
  ) {
    // Refused here too, not only by the config: a caller of startServer cannot go below it.
    retentionCutoff(now(), schedule.days);
  }

  /** Prunes now (in the background) and then every `everyHours`; the timer does not keep the process alive. */
  start(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), this.schedule.everyHours * 3_600_000);
    this.timer.unref();
  }

  run(): Promise<PruneReport | null> {
    this.running ??= pruneOnce(this.storage, this.schedule.days, this.now())
      .then(
        (report) => {
          if (report.claims + report.notifications + report.audit > 0)
            this.log.info({ prune: report }, 'records older than retention pruned');
          else this.log.debug({ prune: report }, 'nothing older than retention to prune');
          return report;
        },
        (e: unknown) => {
          this.log.error({ err: e }, 'pruning records older than retention failed');
          return null;
        },
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Stops the schedule and waits for a prune under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
