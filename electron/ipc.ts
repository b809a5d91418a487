import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  DEVICE_METHOD_NAMES,
  deviceChannel,
  deviceEventChannel,
  type DeviceMethodName,
  type DeviceResult,
} from '../core/devices/contract';
import { err } from '../core/result';
import { dispatch } from '../native/manager/dispatch';
import type { DeviceService } from '../native/manager/service';

/** Where device events go: every live app window. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/**
 * Serves the device contract over Electron IPC: one `handle` per contract
 * method on its derived channel, each checking the sender's frame first and
 * validating the input with the contract's schema. Returns the function that
 * removes the handlers and stops forwarding events.
 */
export function serveDevicesOverIpc(options: {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  service: DeviceService;
  isTrusted: (event: IpcMainInvokeEvent) => boolean;
  targets: () => readonly EventTarget[];
}): () => void {
  const { ipcMain, service } = options;
  for (const method of DEVICE_METHOD_NAMES) {
    ipcMain.handle(
      deviceChannel(method),
      (event, input: unknown): Promise<DeviceResult<DeviceMethodName>> => {
        if (!options.isTrusted(event)) {
          return Promise.resolve(
            err('UNAUTHENTICATED', 'Device calls are only accepted from the Tillpoint app page.'),
          );
        }
        return dispatch(service, method, input);
      },
    );
  }
  const unsubscribe = service.subscribe(({ event, payload }) => {
    for (const target of options.targets()) {
      if (!target.isDestroyed()) target.send(deviceEventChannel(event), payload);
    }
  });
  return () => {
    unsubscribe();
    for (const method of DEVICE_METHOD_NAMES) ipcMain.removeHandler(deviceChannel(method));
  };
}
