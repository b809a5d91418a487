import type { PrinterStatus } from '../../core/devices/status';

/**
 * Parsing what an ESC/POS printer sends back. Real-time status answers (DLE
 * EOT n) are single bytes shaped 0xx1xx10; automatic status back (GS a) is
 * four bytes whose first is shaped 0xx1xx00 and the others 0xx0xxxx. The two
 * shapes never collide, so one reader can watch a mixed stream.
 */
export const isRealtimeStatusByte = (b: number): boolean => (b & 0x93) === 0x12;
const isAsbFirstByte = (b: number): boolean => (b & 0x93) === 0x10;
const isAsbFollowByte = (b: number): boolean => (b & 0x90) === 0x00;

/** Answers to DLE EOT 1, 2 and 4, combined. */
export function statusFromRealtime(answers: {
  printer: number;
  offlineCause: number;
  paper: number;
}): PrinterStatus {
  const coverOpen = (answers.offlineCause & 0x04) !== 0;
  // Bit 5 of the offline cause: printing stopped because the paper ran out.
  const paperEnd = (answers.paper & 0x60) !== 0 || (answers.offlineCause & 0x20) !== 0;
  return {
    online: (answers.printer & 0x08) === 0,
    coverOpen,
    paperEnd,
    paperNearEnd: (answers.paper & 0x0c) !== 0,
  };
}

/** One four-byte automatic status back message. */
export function statusFromAsb(bytes: readonly [number, number, number, number]): PrinterStatus {
  const [first, , third] = bytes;
  return {
    online: (first & 0x08) === 0,
    coverOpen: (first & 0x20) !== 0,
    paperEnd: (third & 0x0c) !== 0,
    paperNearEnd: (third & 0x03) !== 0,
  };
}

/**
 * Splits a printer's byte stream into real-time answers and ASB messages.
 * Bytes that fit neither (a printer's own chatter) are skipped.
 */
export class StatusReader {
  private asb: number[] = [];

  constructor(
    private readonly onRealtime: (byte: number) => void,
    private readonly onAsb: (status: PrinterStatus) => void,
  ) {}

  push(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (this.asb.length > 0) {
        if (isAsbFollowByte(b)) {
          this.asb.push(b);
          if (this.asb.length === 4) {
            const [a = 0, c = 0, d = 0, e = 0] = this.asb;
            this.asb = [];
            this.onAsb(statusFromAsb([a, c, d, e]));
          }
          continue;
        }
        this.asb = [];
      }
      if (isRealtimeStatusByte(b)) this.onRealtime(b);
      else if (isAsbFirstByte(b)) this.asb.push(b);
    }
  }
}

/** Why a printer cannot take a receipt now, or null when it can. */
export function refusalFor(
  status: PrinterStatus,
): { code: 'PAPER_END' | 'COVER_OPEN' | 'PRINTER_OFFLINE'; message: string } | null {
  if (status.paperEnd)
    return {
      code: 'PAPER_END',
      message: 'The printer is out of paper. Load a new roll, close the cover, then print again.',
    };
  if (status.coverOpen)
    return {
      code: 'COVER_OPEN',
      message: 'The printer cover is open. Close it firmly, then print again.',
    };
  if (!status.online)
    return {
      code: 'PRINTER_OFFLINE',
      message:
        'The printer reports it is offline (error or feed button). Check it, then print again.',
    };
  return null;
}
