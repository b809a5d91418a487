import { z } from 'zod';

/** The id a terminal gives one configured device ("printer-1", "scanner-front"). */
export const DeviceId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits and _ . - only')
  .brand<'DeviceId'>();
export type DeviceId = z.infer<typeof DeviceId>;

/** The id of one print job; the idempotency key that stops a receipt printing twice. */
export const PrintJobId = z.uuid().brand<'PrintJobId'>();
export type PrintJobId = z.infer<typeof PrintJobId>;
