import type { Logger } from 'pino';
import { diskAlmostFull, freeBytes, type DiskRoom } from './readiness';

/** How often the watch looks at the disk when nobody asks (/readyz, /metrics ask too). */
const CHECK_EVERY_MS = 30_000;

/**
 * Watches the free space of the file system holding the SQLite store. Every
 * look (the timer, /readyz, a /metrics scrape) compares it with
 * `disk.minFreeMb`; crossing below logs one warning, and coming back above one
 * info line, so a disk that stays nearly full does not fill the log as well.
 */
export class DiskWatch {
  private low = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly path: string,
    readonly minFreeBytes: number,
    private readonly log: Logger,
  ) {}

  /** Free space now, logging a crossing of the threshold. */
  check(): DiskRoom {
    const room: DiskRoom = { freeBytes: freeBytes(this.path), minFreeBytes: this.minFreeBytes };
    const full = diskAlmostFull(room);
    if (full !== null && !this.low) {
      this.low = true;
      this.log.warn(
        { path: this.path, freeBytes: room.freeBytes, minFreeBytes: this.minFreeBytes },
        `${full} (${this.path}): free space before writes fail`,
      );
    } else if (full === null && this.low && room.freeBytes !== null) {
      this.low = false;
      this.log.info(
        { path: this.path, freeBytes: room.freeBytes, minFreeBytes: this.minFreeBytes },
        'disk space is above the minimum again',
      );
    }
    return room;
  }

  /** Looks at once (so a nearly full disk is logged at start-up), then periodically. */
  start(): void {
    this.check();
    this.timer ??= setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
