/**
 * The preload: exposes `tillpointLaunch` (this window's launch configuration, one call) and, to
 * the cashier window only, `tillpoint` (the device contract over IPC) and `tillpointLogs` (the
 * tails of the app's log files, for the Devices screen). Sandboxed, so it is
 * bundled to one file (electron/build.ts); it imports only zod-free core modules, which keeps it
 * a few kilobytes (test/desktop/bundles.test.ts measures it).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DeviceApi, DeviceCalls } from '../core/devices/contract';
import {
  DEVICE_METHOD_NAMES,
  deviceChannel,
  deviceEventChannel,
  type DeviceMethodName,
} from '../core/devices/names';
import { readLaunchArgument } from '../core/desktop/launch-arg';
import { LAUNCH_BRIDGE_KEY, type LaunchBridge } from '../core/desktop/launch';
import { LOGS_BRIDGE_KEY, LOGS_CHANNEL, type LogsBridge } from '../core/desktop/logs';

const config = readLaunchArgument(process.argv);

if (config !== null) {
  const bridge = { launchConfig: () => ({ ...config }) } satisfies LaunchBridge;
  contextBridge.exposeInMainWorld(LAUNCH_BRIDGE_KEY, bridge);
}

// Main refuses the logs call from any other window too (electron/log-ipc.ts, by sender).
if (config?.role === 'cashier') {
  const logs = {
    readLogs: (input) => ipcRenderer.invoke(LOGS_CHANNEL, input),
  } satisfies LogsBridge;
  contextBridge.exposeInMainWorld(LOGS_BRIDGE_KEY, logs);
}

// Main refuses device calls from any other window anyway (electron/window-roles.ts); not
// exposing them keeps the customer display from even trying.
if (config?.role === 'cashier' && config.deviceMode === 'ipc') {
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
}
