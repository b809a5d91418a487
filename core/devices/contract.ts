import { z } from 'zod';
import { Instant } from '../ids';
import type { Result } from '../result';
import { PrintableReceipt } from '../receipt/shift-model';
import { DeviceConfig, DiscoveredPort } from './config';
import type { DeviceErrorCode } from './errors';
import { DeviceId, PrintJobId } from './ids';
import type { DeviceEventName, DeviceMethodName } from './names';

// The names live in a zod-free module for the preload; everyone else reads them from here.
export {
  DEVICE_EVENT_NAMES,
  DEVICE_METHOD_NAMES,
  deviceChannel,
  deviceEventChannel,
  type DeviceEventName,
  type DeviceMethodName,
} from './names';
import { ScanEvent } from './scan';
import { DeviceStatus, PrintJobEvent, PrinterStatus } from './status';

/**
 * The one device contract (STYLE.md §1). The Electron preload, the Electron
 * main process, the browser-mode device host and the renderer's device client
 * are all typed from these two tables, and validate with them at each
 * process boundary. IPC channel names are derived from the keys below.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({
  input,
  output,
});

const Empty = z.object({}).strict();
const ByDevice = z.object({ deviceId: DeviceId }).strict();
const ByPrinter = z.object({ printerId: DeviceId.nullable() }).strict();

/** A receipt to print. `jobId` makes a retry harmless; after `expiresAt` it is never printed. */
export const PrintRequest = z
  .object({
    jobId: PrintJobId,
    expiresAt: Instant,
    /** null: the terminal's default printer. */
    printerId: DeviceId.nullable(),
    /** A sale's receipt or a shift report. */
    receipt: PrintableReceipt,
    /** Pulse the cash drawer after printing (cash sales). */
    openDrawer: z.boolean(),
  })
  .strict();
export type PrintRequest = z.infer<typeof PrintRequest>;

export const PrintOutcome = z
  .object({
    jobId: PrintJobId,
    printerId: DeviceId,
    /**
     * printed: on paper now. queued: the printer is away; it prints when the
     * printer is back, unless expired by then (a `job` event tells which).
     * duplicate: this job id was printed before; nothing printed again.
     */
    outcome: z.enum(['printed', 'queued', 'duplicate']),
  })
  .strict();
export type PrintOutcome = z.infer<typeof PrintOutcome>;

export const DeviceList = z
  .object({
    devices: z.array(DeviceStatus),
    /** The saved configurations, in the same order: screens need paper widths and ports. */
    configs: z.array(DeviceConfig),
    defaultPrinterId: DeviceId.nullable(),
  })
  .strict();
export type DeviceList = z.infer<typeof DeviceList>;

export const deviceMethods = {
  /** Configured devices with their live status. */
  listDevices: method(Empty, DeviceList),
  /** Serial ports, HID POS scanners and USB printers present now, for the settings screen. */
  discoverPorts: method(Empty, z.array(DiscoveredPort)),
  /** Adds or replaces (same id) a device, saves the settings and opens it. */
  saveDevice: method(z.object({ device: DeviceConfig }).strict(), DeviceStatus),
  removeDevice: method(ByDevice, z.object({ deviceId: DeviceId }).strict()),
  setDefaultPrinter: method(z.object({ printerId: DeviceId }).strict(), DeviceList),
  openDevice: method(ByDevice, DeviceStatus),
  closeDevice: method(ByDevice, DeviceStatus),
  /** Asks the printer now (DLE EOT); refuses with PRINTER_OFFLINE when it does not answer. */
  printerStatus: method(ByPrinter, PrinterStatus),
  printReceipt: method(PrintRequest, PrintOutcome),
  /** Prints a test page: device name, both column rulers, Chinese text, a QR code. */
  testPrint: method(
    z.object({ printerId: DeviceId.nullable(), jobId: PrintJobId }).strict(),
    PrintOutcome,
  ),
  openDrawer: method(ByPrinter, z.object({ printerId: DeviceId }).strict()),
} as const satisfies Record<DeviceMethodName, { input: z.ZodType; output: z.ZodType }>;

export const deviceEvents = {
  scan: ScanEvent,
  status: DeviceStatus,
  job: PrintJobEvent,
} as const satisfies Record<DeviceEventName, z.ZodType>;

export type DeviceMethods = typeof deviceMethods;
export type DeviceEvents = typeof deviceEvents;
export type DeviceInput<K extends DeviceMethodName> = z.infer<DeviceMethods[K]['input']>;
export type DeviceOutput<K extends DeviceMethodName> = z.infer<DeviceMethods[K]['output']>;
export type DeviceResult<K extends DeviceMethodName> = Result<DeviceOutput<K>, DeviceErrorCode>;
export type DevicePayload<E extends DeviceEventName> = z.infer<DeviceEvents[E]>;
export type DeviceListener<E extends DeviceEventName> = (payload: DevicePayload<E>) => void;

/** The device methods as functions; every failure is a value, never a throw. */
export type DeviceCalls = {
  readonly [K in DeviceMethodName]: (input: DeviceInput<K>) => Promise<DeviceResult<K>>;
};

/**
 * What the renderer holds, from the Electron preload (`window.tillpoint`) or
 * from the device host over WebSocket: it cannot tell which.
 */
export interface DeviceApi extends DeviceCalls {
  /** Listens to one event stream; returns the function that stops listening. */
  on<E extends DeviceEventName>(event: E, listener: DeviceListener<E>): () => void;
}
