import type { Logger } from 'pino';
import type { BackupReport } from '../../core/protocol';
import { takeBackup, type BackupSettings } from './backup';

export interface ScheduledBackupSettings extends BackupSettings {
  /** Hours between scheduled backups; 0 takes backups on demand only. */
  readonly everyHours: number;
}

/**
 * The server's backups: one at a time (a request while one runs gets that
 * one's report), on a timer and on demand, each report logged.
 */
export class Backups {
  private running: Promise<BackupReport> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly source: string,
    private readonly settings: ScheduledBackupSettings,
    private readonly log: Logger,
  ) {}

  /** Starts the schedule; the timer does not keep the process alive. */
  start(): void {
    if (this.settings.everyHours <= 0) return;
    this.timer = setInterval(() => void this.now(), this.settings.everyHours * 3_600_000);
    this.timer.unref();
  }

  now(): Promise<BackupReport> {
    this.running ??= takeBackup(this.source, this.settings)
      .then(
        (report) => {
          if (report.verified)
            this.log.info({ backup: report }, `backup ${report.file ?? ''} verified`);
          else this.log.error({ backup: report }, `backup failed: ${report.problems.join('; ')}`);
          return report;
        },
        (e: unknown) => {
          this.log.error({ err: e }, 'backup failed');
          throw e;
        },
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Stops the schedule and waits for a backup under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
