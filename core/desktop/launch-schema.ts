import { z } from 'zod';
import { DEVICE_MODES, WINDOW_ROLES, type LaunchConfig as LaunchConfigType } from './launch';

const httpUrl = z.url({ protocol: /^https?$/ });
const wsUrl = z.url({ protocol: /^wss?$/ });

/** Checks a LaunchConfig (core/desktop/launch.ts) where it crosses into main or the renderer. */
export const LaunchConfig = z
  .object({
    serverUrl: httpUrl.nullable(),
    deviceMode: z.enum(DEVICE_MODES),
    deviceHostUrl: wsUrl.nullable(),
    role: z.enum(WINDOW_ROLES),
  })
  .strict()
  .refine((c) => (c.deviceMode === 'host') === (c.deviceHostUrl !== null), {
    message: 'deviceHostUrl is given exactly in host mode',
  })
  .refine((c) => c.role === 'cashier' || c.deviceMode === 'none', {
    message: 'the customer display has no devices',
  }) satisfies z.ZodType<LaunchConfigType>;
