/**
 * Feature reports some scanners need on every open before their HID POS
 * interface sends scanned-data reports, keyed by USB vendor id. The bytes go
 * to node-hid's sendFeatureReport as they are: report id first.
 *
 * Honeywell (0x0C2E), confirmed from two sources:
 *  - Honeywell / Hand Held Products "USB Interfaces User's Guide" (3800i),
 *    "Redirect Output": feature report id 254 (0xFE), byte 1 the USB
 *    interface number output goes to. It matters when HID POS is part of a
 *    composite device (keyboard emulation plus HID POS), where HID POS is
 *    interface 1 and the guide says to send 1; a pure HID POS interface does
 *    not need it, but the guide recommends sending it in any case and
 *    ignoring a possible error.
 *  - NielsLeenheer/WebHidBarcodeScanner (src/main.js) sends exactly this,
 *    sendFeatureReport(254, [0x01]), to every Honeywell it opens.
 *
 * Youjie (0x23D0): not confirmed by a vendor document. The vendor id and the
 * bytes come only from WebHidBarcodeScanner, which names 0x23D0 "Youjie" and
 * sends it the same report as a Honeywell; no Youjie manual or USB id
 * registry entry was found to confirm either. A scanner that does not define
 * the report refuses it, and that refusal is ignored (see hidScanner.ts), so
 * a wrong entry costs nothing. Confirm or correct it with a capture from a
 * real Youjie scanner (usbmon, or Wireshark on Windows) when one is at hand.
 */
export interface HidPosModeReport {
  readonly vendor: string;
  readonly report: readonly number[];
}

const HONEYWELL_REDIRECT_TO_HID_POS: readonly number[] = [0xfe, 0x01];

export const HID_POS_MODE_REPORTS: ReadonlyMap<number, HidPosModeReport> = new Map([
  [0x0c2e, { vendor: 'Honeywell', report: HONEYWELL_REDIRECT_TO_HID_POS }],
  [0x23d0, { vendor: 'Youjie', report: HONEYWELL_REDIRECT_TO_HID_POS }],
]);

/** The feature report to send when opening a scanner of this vendor, or null when it needs none. */
export function hidPosModeReport(vendorId: number): HidPosModeReport | null {
  return HID_POS_MODE_REPORTS.get(vendorId) ?? null;
}
