import type { PrinterStatus } from '../../core/devices/status';

/**
 * The printer side of a link: records every byte it receives and answers
 * DLE EOT n with the status the test scripted, as a real ESC/POS printer does
 * in real time. `silent` printers never answer (some cheap ones).
 */
export class PrinterSim {
  status: PrinterStatus = { online: true, coverOpen: false, paperEnd: false, paperNearEnd: false };
  silent = false;
  private chunks: Buffer[] = [];
  private tail: number[] = [];

  constructor(private readonly reply: (bytes: Uint8Array) => void) {}

  receive(chunk: Uint8Array): void {
    this.chunks.push(Buffer.from(chunk));
    // DLE EOT n may be split across chunks; look at the last two bytes of before too.
    const scan = [...this.tail, ...chunk];
    for (let i = 0; i + 2 < scan.length; i++) {
      if (scan[i] === 0x10 && scan[i + 1] === 0x04 && i + 2 >= this.tail.length) {
        const n = scan[i + 2] ?? 0;
        if (!this.silent) this.reply(Uint8Array.of(this.answer(n)));
      }
    }
    this.tail = scan.slice(-2);
  }

  /** Everything received so far. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Bytes received with the status requests (DLE EOT n) taken out: what went on paper. */
  printed(): Buffer {
    const all = this.bytes();
    const out: number[] = [];
    for (let i = 0; i < all.length; i++) {
      if (all[i] === 0x10 && all[i + 1] === 0x04) {
        i += 2;
        continue;
      }
      out.push(all[i] ?? 0);
    }
    return Buffer.from(out);
  }

  private answer(n: number): number {
    const s = this.status;
    switch (n) {
      case 1:
        return 0x12 | (s.online ? 0 : 0x08);
      case 2:
        return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperEnd ? 0x20 : 0);
      case 4:
        return 0x12 | (s.paperNearEnd ? 0x0c : 0) | (s.paperEnd ? 0x60 : 0);
      default:
        return 0x12;
    }
  }
}
