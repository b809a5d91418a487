import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceManager } from '../../native/manager/deviceManager';
import { serialScanner, tempDir, usbPrinter } from './fixtures';

const managers: DeviceManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
});
const start = async (dir: string, warn?: (m: string) => void) => {
  const m = await DeviceManager.start({ settingsDir: dir, ...(warn ? { warn } : {}) });
  managers.push(m);
  return m;
};

describe('device settings per terminal', () => {
  it('saves devices to devices.json and loads them on the next start', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.saveDevice({ device: serialScanner('/nonexistent/ttyS9') });
    await first.saveDevice({ device: usbPrinter('/nonexistent/lp0') });
    const onDisk = JSON.parse(readFileSync(join(dir, 'devices.json'), 'utf8'));
    expect(onDisk).toMatchObject({ version: 1, defaultPrinterId: 'printer-usb' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const second = await start(dir);
    const list = await second.listDevices({});
    expect(list.ok && list.value.devices.map((d) => [d.deviceId, d.state.state])).toEqual([
      ['scanner-1', 'offline'],
      ['printer-usb', 'offline'],
    ]);
    // Another window (a fresh manager) learns each printer's paper width from the list.
    expect(list.ok && list.value.configs.map((c) => c.id)).toEqual(['scanner-1', 'printer-usb']);
    expect(list.ok && list.value.configs[1]).toEqual(usbPrinter('/nonexistent/lp0'));
  });

  it('moves an unreadable settings file aside instead of overwriting it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'devices.json'), '{"version":1,"devices":[{"kind":');
    const warnings: string[] = [];
    const manager = await start(dir, (m) => warnings.push(m));
    expect((await manager.listDevices({})).ok).toBe(true);
    expect(warnings[0]).toMatch(/could not be read and were moved/);
    expect(readdirSync(dir).some((f) => f.startsWith('devices.json.unreadable-'))).toBe(true);
  });

  it('removes a device and picks another default printer', async () => {
    const dir = tempDir();
    const manager = await start(dir);
    await manager.saveDevice({ device: usbPrinter('/nonexistent/lp0', 'p1') });
    await manager.saveDevice({ device: usbPrinter('/nonexistent/lp1', 'p2') });
    expect(await manager.removeDevice({ deviceId: 'p1' as never })).toEqual({
      ok: true,
      value: { deviceId: 'p1' },
    });
    const list = await manager.listDevices({});
    expect(list.ok && list.value.defaultPrinterId).toBe('p2');
    expect(await manager.removeDevice({ deviceId: 'p1' as never })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('says there is no printer when none is set up', async () => {
    const manager = await start(tempDir());
    const result = await manager.openDrawer({ printerId: null });
    expect(result).toMatchObject({ ok: false, code: 'NO_PRINTER' });
    expect(!result.ok && result.message).toMatch(/Add one in device settings/);
  });
});
