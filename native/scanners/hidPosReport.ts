/**
 * HID POS barcode scanners (usage page 0x8C) send each scan as one or more
 * 64-byte "scanned data" input reports:
 *
 *   report id (0x02) | length | AIM id (3) | data (56) | vendor (2) | flags
 *
 * `length` counts the data bytes in this report; bit 0 of the last byte says
 * more reports follow. hidraw (Linux) and node-hid put the report id first;
 * WebHID strips it, so the parser is told which it gets.
 */
export const HID_POS_USAGE_PAGE = 0x8c;
export const SCANNED_DATA_REPORT_ID = 0x02;
const DATA_SIZE = 56;

export interface HidPosChunk {
  readonly aim: string;
  readonly data: Uint8Array;
  readonly continued: boolean;
}

/** One scanned-data report, or null for any other report (status, settings). */
export function parseHidPosReport(report: Uint8Array, reportIdFirst = true): HidPosChunk | null {
  const base = reportIdFirst ? 1 : 0;
  if (reportIdFirst && report[0] !== SCANNED_DATA_REPORT_ID) return null;
  if (report.length < base + 4) return null;
  const length = Math.min(report[base] ?? 0, DATA_SIZE, report.length - base - 4);
  const aim = String.fromCharCode(
    report[base + 1] ?? 0,
    report[base + 2] ?? 0,
    report[base + 3] ?? 0,
  );
  const data = report.slice(base + 4, base + 4 + length);
  const flagsAt = base + 4 + DATA_SIZE + 2;
  const continued = flagsAt < report.length && ((report[flagsAt] ?? 0) & 0x01) === 1;
  return { aim, data, continued };
}

/** Joins continued reports into whole scans. */
export class HidPosAssembler {
  private parts: Uint8Array[] = [];
  private aim = '';

  constructor(
    private readonly onScan: (scan: { aim: string; data: Uint8Array }) => void,
    private readonly reportIdFirst = true,
  ) {}

  push(report: Uint8Array): void {
    const chunk = parseHidPosReport(report, this.reportIdFirst);
    if (chunk === null) return;
    if (this.parts.length === 0) this.aim = chunk.aim;
    this.parts.push(chunk.data);
    if (chunk.continued) return;
    const total = this.parts.reduce((n, p) => n + p.length, 0);
    const data = new Uint8Array(total);
    let at = 0;
    for (const p of this.parts) {
      data.set(p, at);
      at += p.length;
    }
    this.parts = [];
    if (total > 0) this.onScan({ aim: this.aim, data });
  }

  reset(): void {
    this.parts = [];
  }
}
