import type { DeviceCalls, DeviceEventName, DevicePayload } from '../../core/devices/contract';

/** One event of the device streams, tagged with its name. */
export type DeviceEventFrame = {
  [E in DeviceEventName]: { readonly event: E; readonly payload: DevicePayload<E> };
}[DeviceEventName];

/**
 * The device contract as a service in a Node process. The Electron main
 * process and the browser-mode device host both serve one of these.
 */
export interface DeviceService extends DeviceCalls {
  subscribe(listener: (event: DeviceEventFrame) => void): () => void;
  close(): Promise<void>;
}
