/**
 * The preload: exposes exactly one object, `tillpoint`, the device contract
 * over IPC. Sandboxed, so it is bundled to one file (electron/build.ts) and
 * imports nothing at run time but `electron`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  DEVICE_METHOD_NAMES,
  deviceChannel,
  deviceEventChannel,
  type DeviceApi,
  type DeviceCalls,
  type DeviceMethodName,
} from '../core/devices/contract';

const calls = Object.fromEntries(
  DEVICE_METHOD_NAMES.map((method: DeviceMethodName) => [
    method,
    (input: unknown) => ipcRenderer.invoke(deviceChannel(method), input),
  ]),
) as unknown as DeviceCalls; // one entry per contract key, each invoking its own derived channel

const tillpoint = {
  ...calls,
  on(event, listener) {
    const channel = deviceEventChannel(event);
    const forward = (_e: IpcRendererEvent, payload: unknown): void =>
      (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
} satisfies DeviceApi;

contextBridge.exposeInMainWorld('tillpoint', tillpoint);
