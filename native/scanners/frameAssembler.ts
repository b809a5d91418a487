/**
 * Cuts a serial scanner's byte stream into scans. A scan ends at CR, LF or
 * CR LF, or — for scanners configured with no suffix — when no byte has
 * arrived for `timeoutMs`.
 */
export class FrameAssembler {
  private pending: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastWasCr = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onFrame: (frame: Uint8Array) => void,
  ) {}

  push(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (b === 0x0d || b === 0x0a) {
        // CR LF is one terminator, not an empty scan after the CR.
        if (!(b === 0x0a && this.lastWasCr)) this.flush();
        this.lastWasCr = b === 0x0d;
        continue;
      }
      this.lastWasCr = false;
      this.pending.push(b);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.timeoutMs);
    }
  }

  /** Drops a half-read scan (the device went away mid-scan). */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.lastWasCr = false;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const frame = Uint8Array.from(this.pending);
    this.pending = [];
    this.onFrame(frame);
  }
}
