import { z } from 'zod';
import {
  DEVICE_EVENT_NAMES,
  DEVICE_METHOD_NAMES,
  deviceMethods,
  type DeviceMethodName,
} from './contract';
import { DeviceErrorCode } from './errors';

/**
 * Frames of the browser-mode device host WebSocket. Inputs, outputs and event
 * payloads are then checked against the contract's own schemas.
 */
const methodName = z.enum(DEVICE_METHOD_NAMES);
const eventName = z.enum(DEVICE_EVENT_NAMES);

export const CallFrame = z
  .object({
    type: z.literal('call'),
    id: z.number().int().min(0),
    method: methodName,
    input: z.unknown(),
  })
  .strict();
export type CallFrame = z.infer<typeof CallFrame>;

export const DeviceFailure = z
  .object({ ok: z.literal(false), code: DeviceErrorCode, message: z.string().min(1) })
  .strict();

export const ReplyFrame = z
  .object({
    type: z.literal('reply'),
    id: z.number().int().min(0),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
      DeviceFailure,
    ]),
  })
  .strict();
export type ReplyFrame = z.infer<typeof ReplyFrame>;

export const EventFrame = z
  .object({ type: z.literal('event'), event: eventName, payload: z.unknown() })
  .strict();
export type EventFrame = z.infer<typeof EventFrame>;

export const HostFrame = z.discriminatedUnion('type', [ReplyFrame, EventFrame]);
export type HostFrame = z.infer<typeof HostFrame>;

/** The schema of one method's result, ok or failure, for checking what came back. */
export function resultSchema<K extends DeviceMethodName>(name: K) {
  return z.union([
    z.object({ ok: z.literal(true), value: deviceMethods[name].output }).strict(),
    DeviceFailure,
  ]);
}
