import { z } from 'zod';
import {
  deviceMethods,
  type DeviceCalls,
  type DeviceMethodName,
  type DeviceResult,
} from '../../core/devices/contract';
import { err } from '../../core/result';

/**
 * Calls one contract method with input that came across a process boundary:
 * validated against the contract's schema first, and a thrown bug turned
 * into an INTERNAL failure so the caller always gets a value back.
 */
export async function dispatch<K extends DeviceMethodName>(
  service: DeviceCalls,
  method: K,
  input: unknown,
): Promise<DeviceResult<K>> {
  const parsed = deviceMethods[method].input.safeParse(input);
  if (!parsed.success) {
    return err('BAD_REQUEST', `${method}: invalid request. ${z.prettifyError(parsed.error)}`);
  }
  // The schema for K has just produced DeviceInput<K>; TypeScript cannot correlate the two lookups.
  const call = service[method] as (value: unknown) => Promise<DeviceResult<K>>;
  try {
    return await call(parsed.data);
  } catch (error) {
    console.error(`device ${method} failed`, error);
    return err(
      'INTERNAL',
      `The device service failed on ${method}: ${(error as Error).message}. Try again; if it persists, restart Tillpoint.`,
    );
  }
}
