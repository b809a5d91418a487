import { z } from 'zod';

/**
 * Stable codes of every device failure that crosses IPC or the device host.
 * Each comes with a message that says what is wrong and what to do.
 */
export const DEVICE_ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'DEVICE_HOST_UNAVAILABLE',
  'NOT_FOUND',
  'NOT_A_PRINTER',
  'NO_PRINTER',
  'DEVICE_OFFLINE',
  'PAPER_END',
  'COVER_OPEN',
  'PRINTER_OFFLINE',
  'JOB_EXPIRED',
  'WRITE_FAILED',
  'SETTINGS_WRITE_FAILED',
  'INTERNAL',
] as const;
export const DeviceErrorCode = z.enum(DEVICE_ERROR_CODES);
export type DeviceErrorCode = z.infer<typeof DeviceErrorCode>;
