import type { DeviceState } from '../../core/devices/status';

/** Delay before reopen attempt n (0-based): 250 ms doubling, at most 5 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(250 * 2 ** Math.min(attempt, 10), 5_000);
}

export interface ReconnectorOptions<L> {
  /** Opens the device; throws an Error whose message says why it could not. */
  connect(lost: (reason: string) => void): Promise<L>;
  disconnect(link: L): Promise<void>;
  onUp(link: L): void;
  onState(state: DeviceState): void;
  now(): Date;
  delay?: (attempt: number) => number;
}

/**
 * Keeps one device open: opens it, notices when it goes away, and reopens it
 * with backoff until it is back or closed on purpose. Hot-plug without plug
 * events: a missing device simply fails to open until it returns.
 */
export class Reconnector<L> {
  private link: L | null = null;
  private wanted = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private generation = 0;
  private current: DeviceState = { state: 'closed' };

  constructor(private readonly options: ReconnectorOptions<L>) {}

  get state(): DeviceState {
    return this.current;
  }

  /** The open link, or null while the device is away. */
  get active(): L | null {
    return this.link;
  }

  /** Starts keeping the device open; resolves after the first attempt, whatever its result. */
  async open(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    this.attempt = 0;
    await this.tryOpen();
  }

  async close(): Promise<void> {
    this.wanted = false;
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const link = this.link;
    this.link = null;
    if (link !== null) await this.options.disconnect(link).catch(() => undefined);
    this.setState({ state: 'closed' });
  }

  /** Reports the device lost from outside (a failed write), so it is reopened. */
  lost(reason: string): void {
    const link = this.link;
    if (link === null || !this.wanted) return;
    this.link = null;
    this.generation += 1;
    void this.options.disconnect(link).catch(() => undefined);
    this.scheduleRetry(reason);
  }

  private async tryOpen(): Promise<void> {
    const generation = ++this.generation;
    this.setState({ state: 'opening' });
    let opened: L | null = null;
    try {
      const link = await this.options.connect((reason) => {
        if (generation === this.generation && opened !== null && this.link === opened)
          this.lost(reason);
      });
      opened = link;
      if (generation !== this.generation || !this.wanted) {
        await this.options.disconnect(link).catch(() => undefined);
        return;
      }
      this.link = link;
      this.attempt = 0;
      this.setState({ state: 'online' });
      this.options.onUp(link);
    } catch (error) {
      if (generation !== this.generation || !this.wanted) return;
      this.scheduleRetry((error as Error).message);
    }
  }

  private scheduleRetry(reason: string): void {
    const wait = (this.options.delay ?? backoffDelay)(this.attempt);
    this.attempt += 1;
    const retryAt = new Date(this.options.now().getTime() + wait).toISOString();
    this.setState({ state: 'offline', reason, retryAt });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.wanted) void this.tryOpen();
    }, wait);
  }

  private setState(state: DeviceState): void {
    this.current = state;
    this.options.onState(state);
  }
}
