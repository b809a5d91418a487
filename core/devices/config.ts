import { z } from 'zod';
import { SafeText } from '../text';
import { DisplayName } from '../ids';
import { DeviceId } from './ids';

/** Serial line settings of a scanner or printer (RS-232 or USB-serial). */
export const SerialLine = z
  .object({
    path: SafeText.min(1).max(256),
    baudRate: z.union([
      z.literal(1200),
      z.literal(2400),
      z.literal(4800),
      z.literal(9600),
      z.literal(19200),
      z.literal(38400),
      z.literal(57600),
      z.literal(115200),
    ]),
    dataBits: z.union([z.literal(7), z.literal(8)]),
    parity: z.enum(['none', 'even', 'odd']),
    stopBits: z.union([z.literal(1), z.literal(2)]),
  })
  .strict();
export type SerialLine = z.infer<typeof SerialLine>;

const UsbId = z.number().int().min(0).max(0xffff);

/** Receipt paper: 58 mm rolls print 32 columns, 80 mm rolls 48 (font A). */
export const PaperWidth = z.union([z.literal(58), z.literal(80)]);
export type PaperWidth = z.infer<typeof PaperWidth>;
export const columnsFor = (paper: PaperWidth): 32 | 48 => (paper === 58 ? 32 : 48);

const common = { id: DeviceId, name: DisplayName };

const printerCommon = {
  ...common,
  paperWidth: PaperWidth,
  /** Cut the paper after each receipt (printers without a cutter ignore it anyway). */
  cut: z.boolean(),
  /** Ask the printer for DLE EOT status before each receipt; off for write-only links. */
  statusQuery: z.boolean(),
};

/**
 * One configured device. `kind` names the device and its link together, so
 * every switch over it handles each transport exactly once.
 */
export const DeviceConfig = z.discriminatedUnion('kind', [
  z
    .object({
      ...common,
      kind: z.literal('hid_scanner'),
      vendorId: UsbId,
      productId: UsbId,
      /** Tells two identical scanners apart; null matches the first one found. */
      serialNumber: SafeText.max(128).nullable(),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('serial_scanner'),
      line: SerialLine,
      /** Ends a frame when no byte arrives for this long (scanners configured without CR/LF). */
      frameTimeoutMs: z.number().int().min(5).max(2_000),
    })
    .strict(),
  z.object({ ...printerCommon, kind: z.literal('serial_printer'), line: SerialLine }).strict(),
  z
    .object({
      ...printerCommon,
      kind: z.literal('usb_printer'),
      /** The USB printer class device, e.g. /dev/usb/lp0. */
      path: SafeText.min(1).max(256),
    })
    .strict(),
  z
    .object({
      ...printerCommon,
      kind: z.literal('tcp_printer'),
      host: SafeText.min(1).max(253),
      port: z.number().int().min(1).max(65_535),
    })
    .strict(),
]);
export type DeviceConfig = z.infer<typeof DeviceConfig>;
export type DeviceKind = DeviceConfig['kind'];
export type PrinterConfig = Extract<
  DeviceConfig,
  { kind: 'serial_printer' | 'usb_printer' | 'tcp_printer' }
>;

export const isPrinter = (d: DeviceConfig): d is PrinterConfig =>
  d.kind === 'serial_printer' || d.kind === 'usb_printer' || d.kind === 'tcp_printer';

/** What a terminal remembers about its devices (one JSON file per terminal). */
export const DeviceSettings = z
  .object({
    version: z.literal(1),
    devices: z.array(DeviceConfig).max(32),
    /** Where receipts go when a print request names no printer. */
    defaultPrinterId: DeviceId.nullable(),
  })
  .strict()
  .refine((s) => new Set(s.devices.map((d) => d.id)).size === s.devices.length, {
    message: 'two devices share one id',
    path: ['devices'],
  });
export type DeviceSettings = z.infer<typeof DeviceSettings>;

export const EMPTY_DEVICE_SETTINGS: DeviceSettings = {
  version: 1,
  devices: [],
  defaultPrinterId: null,
};

/** A port the settings screen can offer before anything is configured. */
export const DiscoveredPort = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('serial'),
      path: z.string(),
      manufacturer: z.string().nullable(),
      vendorId: z.string().nullable(),
      productId: z.string().nullable(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('hid_pos'),
      vendorId: UsbId,
      productId: UsbId,
      product: z.string().nullable(),
      serialNumber: z.string().nullable(),
    })
    .strict(),
  z.object({ kind: z.literal('usb_printer'), path: z.string() }).strict(),
]);
export type DiscoveredPort = z.infer<typeof DiscoveredPort>;
