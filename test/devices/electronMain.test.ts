import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceChannel, deviceEventChannel } from '../../core/devices/contract';
import { customerDisplay } from '../../electron/displays';
import { serveDevicesOverIpc } from '../../electron/ipc';
import { contentSecurityPolicy, isTrustedSender } from '../../electron/security';
import { startBundledServer } from '../../electron/serverProcess';
import { DeviceManager } from '../../native/manager/deviceManager';
import { tempDir, usbPrinter } from './fixtures';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Electron main, without Electron', () => {
  it('trusts IPC only from the app page itself', () => {
    const app = 'file:///opt/tillpoint/dist/renderer/index.html';
    expect(isTrustedSender('file:///opt/tillpoint/dist/renderer/index.html#/checkout', app)).toBe(
      true,
    );
    expect(isTrustedSender('file:///tmp/evil.html', app)).toBe(false);
    expect(isTrustedSender('https://example.com/', app)).toBe(false);
    expect(isTrustedSender(undefined, app)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });

  it('sets a CSP that admits only our own scripts and the sync server', () => {
    const csp = contentSecurityPolicy('http://127.0.0.1:43127');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:43127 ws://127.0.0.1:43127");
    expect(csp).toContain("object-src 'none'");
  });

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

  it('serves the contract on derived channels, refusing untrusted senders', async () => {
    const manager = await DeviceManager.start({ settingsDir: tempDir() });
    cleanups.push(() => manager.close());
    // Electron's ipcMain is a registry of channel handlers; this one records them.
    const handlers = new Map<
      string,
      (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>
    >();
    const sent: [string, unknown][] = [];
    const stop = serveDevicesOverIpc({
      ipcMain: {
        handle: (channel, fn) => void handlers.set(channel, fn as never),
        removeHandler: (channel) => void handlers.delete(channel),
      },
      service: manager,
      isTrusted: (event) => isTrustedSender(event.senderFrame?.url, 'file:///app/index.html'),
      targets: () => [{ isDestroyed: () => false, send: (c, p) => void sent.push([c, p]) }],
    });
    const from = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent;
    expect(handlers.has('tillpoint:device:printReceipt')).toBe(true);

    const save = handlers.get(deviceChannel('saveDevice'));
    expect(
      await save?.(from('file:///app/index.html'), { device: usbPrinter('/nonexistent/lp0') }),
    ).toMatchObject({
      ok: true,
    });
    expect(await save?.(from('https://evil.example/'), { device: usbPrinter('/x') })).toMatchObject(
      {
        ok: false,
        code: 'UNAUTHENTICATED',
      },
    );
    expect(
      await save?.(from('file:///app/index.html'), { device: { kind: 'laser' } }),
    ).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(sent.some(([channel]) => channel === deviceEventChannel('status'))).toBe(true);
    stop();
    expect(handlers.size).toBe(0);
  });
});
