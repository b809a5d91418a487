/**
 * The browser-mode device host:
 *   npx tsx native/host/cli.ts --port 0 --settings-dir DIR
 * prints "TILLPOINT_DEVICE_HOST <ws-url-with-token>" once listening.
 */
import { parseArgs } from 'node:util';
import { DeviceManager } from '../manager/deviceManager';
import { startDeviceHost } from './deviceHost';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'settings-dir': { type: 'string' },
  },
});
const port = Number(values.port);
const settingsDir = values['settings-dir'];
if (!Number.isInteger(port) || port < 0 || port > 65_535 || settingsDir === undefined) {
  console.error('usage: tsx native/host/cli.ts --port <0..65535> --settings-dir <folder>');
  process.exit(2);
}

const manager = await DeviceManager.start({ settingsDir, warn: (m) => console.error(m) });
const host = await startDeviceHost({ service: manager, port });
console.log(`TILLPOINT_DEVICE_HOST ${host.url}`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await host.close();
  await manager.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
