import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceChannel, deviceEventChannel } from '../../core/devices/contract';
import { customerDisplay } from '../../electron/displays';
import { serveDevicesOverIpc } from '../../electron/ipc';
import { deviceCallVerdict, WindowRoles } from '../../electron/window-roles';
import { startBundledServer } from '../../electron/serverProcess';
import { DeviceManager } from '../../native/manager/deviceManager';
import { tempDir, usbPrinter } from './fixtures';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Electron main, without Electron', () => {
  it('puts the customer display on a screen other than the primary one, if any', () => {
    const a = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
    const b = { id: 2, bounds: { x: 1920, y: 0, width: 1024, height: 600 } };
    expect(customerDisplay([a, b], 1)).toBe(b);
    expect(customerDisplay([a], 1)).toBeNull();
  });

  it('starts the bundled server as a child process and reads its URL', async () => {
    const server = await startBundledServer({
      command: [
        process.execPath,
        '--import',
        'tsx',
        'test/sim/fakeServerCli.ts',
        '--data-dir',
        tempDir(),
        '--port',
        '0',
      ],
      cwd: process.cwd(),
    });
    cleanups.push(() => server.stop());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(server.url)).text()).toBe('ok');
  });

  it('says why when the bundled server exits before it is ready', async () => {
    await expect(
      startBundledServer({
        command: [process.execPath, '--import', 'tsx', 'test/sim/fakeServerCli.ts', '--fail'],
        cwd: process.cwd(),
      }),
    ).rejects.toThrow(/exited before it was ready \(exit code 3\)/);
  });

  it('serves the contract on derived channels to the cashier window only', async () => {
    const manager = await DeviceManager.start({ settingsDir: tempDir() });
    cleanups.push(() => manager.close());
    // Electron's ipcMain is a registry of channel handlers; this one records them.
    const handlers = new Map<
      string,
      (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>
    >();
    const appUrl = 'app://tillpoint/index.html';
    const roles = new WindowRoles();
    roles.set(1, 'cashier');
    roles.set(2, 'customer');
    const sent = new Map<number, string[]>([
      [1, []],
      [2, []],
    ]);
    const stop = serveDevicesOverIpc({
      ipcMain: {
        handle: (channel, fn) => void handlers.set(channel, fn as never),
        removeHandler: (channel) => void handlers.delete(channel),
      },
      service: manager,
      isTrusted: (event) =>
        deviceCallVerdict(
          { webContentsId: event.sender.id, frameUrl: event.senderFrame?.url },
          roles,
          appUrl,
        ) === 'allow',
      targets: () =>
        roles.eventReceivers().map((id) => ({
          isDestroyed: () => false,
          send: (channel: string) => void sent.get(id)?.push(channel),
        })),
    });
    const from = (webContentsId: number, url: string) =>
      ({ sender: { id: webContentsId }, senderFrame: { url } }) as unknown as IpcMainInvokeEvent;
    expect(handlers.has('tillpoint:device:printReceipt')).toBe(true);

    const save = handlers.get(deviceChannel('saveDevice'));
    expect(
      await save?.(from(1, 'app://tillpoint/index.html#/'), {
        device: usbPrinter('/nonexistent/lp0'),
      }),
    ).toMatchObject({ ok: true });
    const drawer = handlers.get(deviceChannel('openDrawer'));
    expect(
      await drawer?.(from(2, 'app://tillpoint/index.html?role=customer'), { printerId: null }),
    ).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
    expect(
      await save?.(from(1, 'https://evil.example/'), { device: usbPrinter('/x') }),
    ).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(
      await save?.(from(1, 'app://tillpoint/index.html'), { device: { kind: 'laser' } }),
    ).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    // Opening the printer reported its status: to the cashier window, never to the customer's.
    expect(sent.get(1)).toContain(deviceEventChannel('status'));
    expect(sent.get(2)).toEqual([]);
    stop();
    expect(handlers.size).toBe(0);
  });
});
