import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../../core/devices/config';
import { DeviceId } from '../../core/devices/ids';
import {
  closePeer,
  openPeer,
  serialScanner,
  tcpPrinter,
  usbPrinter,
  waitFor,
  writePeer,
} from '../../test/devices/fixtures';
import { startTestDeviceHost, wsSocket } from '../../test/helpers/device-host';
import { PtyPair } from '../../test/sim/ptyPair';
import { startTcpPrinter } from '../../test/sim/tcpPrinter';
import { createDeviceClient } from '../devices/deviceClient';
import { createDevicesStore, type DevicesStore } from './devices-store';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A started store over a real device host (in this process) and a real WebSocket client. */
async function storeOnHost(): Promise<{ store: DevicesStore; url: string }> {
  const host = await startTestDeviceHost();
  cleanups.push(host.close);
  const client = createDeviceClient({ hostUrl: host.url, socket: wsSocket });
  cleanups.push(() => client.close());
  const store = createDevicesStore(client, { retryMs: 0 });
  cleanups.push(store.getState().start());
  await waitFor(() => (store.getState().host === 'ready' ? true : undefined), 'the device list');
  return { store, url: host.url };
}

async function tcpPrinterSim() {
  const printer = await startTcpPrinter();
  cleanups.push(() => printer.close());
  return printer;
}

const id = (s: string): DeviceId => DeviceId.parse(s);

describe('devices store over a real device host', () => {
  it('starts with the configured list and no problems', async () => {
    const { store } = await storeOnHost();
    expect(store.getState()).toMatchObject({
      host: 'ready',
      devices: [],
      defaultPrinterId: null,
      problems: [],
    });
  });

  it('saves a network printer, opens it, and makes it the default printer', async () => {
    const { store, url } = await storeOnHost();
    const printer = await tcpPrinterSim();
    const config = tcpPrinter(printer.port);
    expect(await store.getState().save(config)).toBe(true);
    const s = store.getState();
    expect(s.devices).toMatchObject([{ deviceId: 'printer-lan', state: { state: 'online' } }]);
    expect(s.defaultPrinterId).toBe('printer-lan');
    expect(s.configs['printer-lan']).toEqual(config);

    // A second window over the same host knows the printer's configuration from the list.
    const client = createDeviceClient({ hostUrl: url, socket: wsSocket });
    cleanups.push(() => client.close());
    const other = createDevicesStore(client, { retryMs: 0 });
    cleanups.push(other.getState().start());
    await waitFor(() => other.getState().configs['printer-lan'], 'the list in a second window');
    expect(other.getState().configs['printer-lan']).toEqual(config);
  });

  it('shows a scan written to a serial scanner as the last scan', async () => {
    const { store } = await storeOnHost();
    const pty = new PtyPair();
    await pty.plug();
    cleanups.push(() => pty.unplug());
    await store.getState().save(serialScanner(pty.devicePath));
    const peer = await openPeer(pty.peerPath);
    cleanups.push(() => closePeer(peer));
    await writePeer(peer, ']E06901234567892\r');
    const scan = await waitFor(() => store.getState().lastScan ?? undefined, 'the scan');
    expect(scan).toMatchObject({
      value: '6901234567892',
      symbology: 'ean13',
      source: { kind: 'serial', deviceId: 'scanner-1' },
    });
  });

  it('follows live status: a scanner whose cable is pulled goes offline and reconnects', async () => {
    const { store } = await storeOnHost();
    const pty = new PtyPair();
    await pty.plug();
    cleanups.push(() => pty.unplug());
    await store.getState().save(serialScanner(pty.devicePath));
    const state = () => store.getState().devices.find((d) => d.deviceId === 'scanner-1')?.state;
    expect(state()).toEqual({ state: 'online' });
    await pty.unplug();
    await waitFor(() => (state()?.state === 'offline' ? true : undefined), 'offline status');
    await pty.plug();
    await waitFor(() => (state()?.state === 'online' ? true : undefined), 'back online');
  });

  it('prints a test page and says so', async () => {
    const { store } = await storeOnHost();
    const printer = await tcpPrinterSim();
    await store.getState().save(tcpPrinter(printer.port));
    expect(await store.getState().testPrint(id('printer-lan'))).toBe(true);
    expect(store.getState().lastTestPrint).toMatchObject({
      printerId: 'printer-lan',
      outcome: 'printed',
      code: null,
    });
    expect(store.getState().problems).toEqual([]);
  });

  it('turns a printer out of paper into a PAPER_END problem and a failed test print', async () => {
    const { store } = await storeOnHost();
    const printer = await tcpPrinterSim();
    await store.getState().save(tcpPrinter(printer.port));
    printer.sim.status = { online: false, coverOpen: false, paperEnd: true, paperNearEnd: false };
    expect(await store.getState().testPrint(id('printer-lan'))).toBe(false);
    const s = store.getState();
    expect(s.lastTestPrint).toMatchObject({ outcome: 'failed', code: 'PAPER_END' });
    expect(s.problems).toMatchObject([
      { action: 'testPrint', code: 'PAPER_END', deviceId: 'printer-lan', count: 1 },
    ]);
    // The printer's answer also arrived as a status event.
    await waitFor(
      () => (store.getState().devices[0]?.printer?.paperEnd === true ? true : undefined),
      'paper end in the status',
    );
  });

  it('refuses an invalid device before it reaches the host, and changes nothing', async () => {
    const { store } = await storeOnHost();
    const bad = { ...usbPrinter('/dev/usb/lp0'), name: '' } as DeviceConfig;
    expect(await store.getState().save(bad)).toBe(false);
    expect(store.getState().problems).toMatchObject([{ action: 'save', code: 'BAD_REQUEST' }]);
    await store.getState().refresh();
    expect(store.getState().devices).toEqual([]);
  });

  it('reports a device the host does not know as NOT_FOUND', async () => {
    const { store } = await storeOnHost();
    expect(await store.getState().open(id('printer-9'))).toBe(false);
    expect(store.getState().problems).toMatchObject([
      { action: 'open', code: 'NOT_FOUND', deviceId: 'printer-9' },
    ]);
  });

  it('removes a device and moves the default to the next printer', async () => {
    const { store } = await storeOnHost();
    const a = await tcpPrinterSim();
    const b = await tcpPrinterSim();
    await store.getState().save(tcpPrinter(a.port, 'printer-1'));
    await store.getState().save(tcpPrinter(b.port, 'printer-2'));
    expect(store.getState().defaultPrinterId).toBe('printer-1');
    expect(await store.getState().remove(id('printer-1'))).toBe(true);
    expect(store.getState().devices.map((d) => d.deviceId)).toEqual(['printer-2']);
    expect(store.getState().defaultPrinterId).toBe('printer-2');
    expect(store.getState().configs['printer-1']).toBeUndefined();
  });

  it('sets the default printer', async () => {
    const { store } = await storeOnHost();
    const a = await tcpPrinterSim();
    const b = await tcpPrinterSim();
    await store.getState().save(tcpPrinter(a.port, 'printer-1'));
    await store.getState().save(tcpPrinter(b.port, 'printer-2'));
    expect(await store.getState().setDefault(id('printer-2'))).toBe(true);
    expect(store.getState().defaultPrinterId).toBe('printer-2');
  });

  it('closes and reopens a device', async () => {
    const { store } = await storeOnHost();
    const printer = await tcpPrinterSim();
    await store.getState().save(tcpPrinter(printer.port));
    await store.getState().close(id('printer-lan'));
    expect(store.getState().devices[0]?.state).toEqual({ state: 'closed' });
    await store.getState().open(id('printer-lan'));
    expect(store.getState().devices[0]?.state).toEqual({ state: 'online' });
  });
});

describe('devices store without a device host', () => {
  it('says the host is unavailable, once, however often it retries', async () => {
    const host = await startTestDeviceHost();
    const wrong = host.url.replace(/token=.*/, 'token=wrong');
    await host.close();
    const client = createDeviceClient({ hostUrl: wrong, socket: wsSocket, callTimeoutMs: 2_000 });
    cleanups.push(() => client.close());
    const store = createDevicesStore(client, { retryMs: 0 });
    await store.getState().refresh();
    await store.getState().refresh();
    const s = store.getState();
    expect(s.host).toBe('unavailable');
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toMatchObject({
      code: 'DEVICE_HOST_UNAVAILABLE',
      action: 'list',
      count: 2,
    });
    expect(s.busy).toEqual({});
  });

  it('clears the unreachable problem once the host answers', async () => {
    const host = await startTestDeviceHost();
    cleanups.push(host.close);
    let reachable = false;
    const good = createDeviceClient({ hostUrl: host.url, socket: wsSocket });
    cleanups.push(() => good.close());
    // A client that fails like an absent host until `reachable`, then is the real one.
    const flaky: typeof good = {
      ...good,
      listDevices: async (input) =>
        reachable
          ? good.listDevices(input)
          : { ok: false, code: 'DEVICE_HOST_UNAVAILABLE', message: 'Cannot reach the host.' },
    };
    const store = createDevicesStore(flaky, { retryMs: 0 });
    await store.getState().refresh();
    expect(store.getState().host).toBe('unavailable');
    reachable = true;
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ host: 'ready', problems: [] });
  });
});
