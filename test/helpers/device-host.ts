import WebSocket from 'ws';
import { startDeviceHost } from '../../native/host/deviceHost';
import { DeviceManager } from '../../native/manager/deviceManager';
import type { SocketLike } from '../../renderer/devices/deviceClient';
import { tempDir } from '../devices/fixtures';

/** Node 20 has no global WebSocket; the `ws` package plays the browser's part. */
export const wsSocket = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;

/**
 * A real browser-mode device host in this process, over a fresh settings
 * folder: what a renderer-side test talks to instead of a mock.
 */
export async function startTestDeviceHost(): Promise<{
  readonly url: string;
  readonly manager: DeviceManager;
  readonly close: () => Promise<void>;
}> {
  const manager = await DeviceManager.start({ settingsDir: tempDir() });
  const host = await startDeviceHost({ service: manager, port: 0 });
  return {
    url: host.url,
    manager,
    close: async () => {
      await host.close();
      await manager.close();
    },
  };
}
