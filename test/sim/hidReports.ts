/**
 * HID POS "scanned data" input reports as node-hid delivers them on Linux
 * (hidraw: report id first, 64 bytes), laid out as Honeywell and Zebra
 * scanners in HID POS mode send them: report id 0x02, data length, the
 * three AIM characters, 56 data bytes, two vendor bytes (Honeywell puts its
 * own code id in the first), and the continuation flag in bit 0 of the last.
 */
export function scannedDataReports(
  aim: string,
  data: string,
  options: { vendorCodeId?: number } = {},
): Uint8Array[] {
  const bytes = Buffer.from(data, 'utf8');
  const reports: Uint8Array[] = [];
  for (let at = 0; at < bytes.length || reports.length === 0; at += 56) {
    const piece = bytes.subarray(at, at + 56);
    const report = new Uint8Array(64);
    report[0] = 0x02;
    report[1] = piece.length;
    report[2] = aim.charCodeAt(0);
    report[3] = aim.charCodeAt(1);
    report[4] = aim.charCodeAt(2);
    report.set(piece, 5);
    report[61] = options.vendorCodeId ?? 0;
    report[63] = at + 56 < bytes.length ? 0x01 : 0x00;
    reports.push(report);
  }
  return reports;
}

/**
 * One EAN-13 scan (6901234567892) byte for byte in the Honeywell HID POS
 * layout (code id 0x64 = EAN-13). Written from the published layout, not
 * captured from a device: replace with a capture when one is at hand.
 */
export const HONEYWELL_EAN13_REPORT = Uint8Array.from([
  0x02,
  0x0d,
  0x5d,
  0x45,
  0x30,
  0x36,
  0x39,
  0x30,
  0x31,
  0x32,
  0x33,
  0x34,
  0x35,
  0x36,
  0x37,
  0x38,
  0x39,
  0x32,
  ...new Array<number>(43).fill(0),
  0x64,
  0x00,
  0x00,
]);

/** A feature/status report (report id 0x04) that the scanner also sends; not a scan. */
export const STATUS_REPORT = Uint8Array.from([0x04, 0x01, ...new Array<number>(62).fill(0)]);
