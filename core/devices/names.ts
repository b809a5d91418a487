/**
 * The names of the device contract and the IPC channels derived from them, without zod: the
 * Electron preload imports only this file, so it stays a few kilobytes (STYLE.md §2, a thin
 * preload). core/devices/contract.ts checks that its tables have exactly these keys.
 */
export const DEVICE_METHOD_NAMES = [
  'listDevices',
  'discoverPorts',
  'saveDevice',
  'removeDevice',
  'setDefaultPrinter',
  'openDevice',
  'closeDevice',
  'printerStatus',
  'printReceipt',
  'testPrint',
  'openDrawer',
] as const;
export type DeviceMethodName = (typeof DEVICE_METHOD_NAMES)[number];

export const DEVICE_EVENT_NAMES = ['scan', 'status', 'job'] as const;
export type DeviceEventName = (typeof DEVICE_EVENT_NAMES)[number];

/** IPC channel of each method, derived from the keys: "tillpoint:device:printReceipt". */
export type DeviceChannel<K extends DeviceMethodName> = `tillpoint:device:${K}`;
export type DeviceEventChannel<E extends DeviceEventName> = `tillpoint:event:${E}`;
export const deviceChannel = <K extends DeviceMethodName>(name: K): DeviceChannel<K> =>
  `tillpoint:device:${name}`;
export const deviceEventChannel = <E extends DeviceEventName>(name: E): DeviceEventChannel<E> =>
  `tillpoint:event:${name}`;
