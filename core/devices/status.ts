import { z } from 'zod';
import { Instant } from '../ids';
import { DeviceId, PrintJobId } from './ids';

/** What an ESC/POS printer says about itself (DLE EOT or GS a automatic status back). */
export const PrinterStatus = z
  .object({
    online: z.boolean(),
    coverOpen: z.boolean(),
    paperEnd: z.boolean(),
    paperNearEnd: z.boolean(),
  })
  .strict();
export type PrinterStatus = z.infer<typeof PrinterStatus>;

/** Where a device is in its life: configured but closed, opening, working, or waiting to come back. */
export const DeviceState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('closed') }).strict(),
  z.object({ state: z.literal('opening') }).strict(),
  z.object({ state: z.literal('online') }).strict(),
  z
    .object({
      state: z.literal('offline'),
      /** Why, in words a cashier can act on ("cable unplugged or port missing: /dev/ttyUSB0"). */
      reason: z.string().min(1),
      /** When the next reopen attempt happens; null when none is scheduled. */
      retryAt: Instant.nullable(),
    })
    .strict(),
]);
export type DeviceState = z.infer<typeof DeviceState>;

/** One device as the settings screen shows it; also the payload of every `status` event. */
export const DeviceStatus = z
  .object({
    deviceId: DeviceId,
    name: z.string(),
    kind: z.enum(['hid_scanner', 'serial_scanner', 'serial_printer', 'usb_printer', 'tcp_printer']),
    state: DeviceState,
    /** Last status the printer reported; null for scanners and for printers that never answered. */
    printer: PrinterStatus.nullable(),
    at: Instant,
  })
  .strict();
export type DeviceStatus = z.infer<typeof DeviceStatus>;

/** What finally happened to a print job that was queued while its printer was away. */
export const PrintJobEvent = z
  .object({
    jobId: PrintJobId,
    printerId: DeviceId,
    outcome: z.enum(['printed', 'expired', 'failed']),
    message: z.string(),
    at: Instant,
  })
  .strict();
export type PrintJobEvent = z.infer<typeof PrintJobEvent>;
