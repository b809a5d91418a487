import { realpathSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanEvent } from '../../core/devices/scan';
import { DeviceManager } from '../../native/manager/deviceManager';
import { PtyPair } from '../sim/ptyPair';
import {
  closePeer,
  lastStatus,
  openPeer,
  recordEvents,
  serialScanner,
  tempDir,
  waitFor,
  writePeer,
} from './fixtures';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp() {
  const pty = new PtyPair();
  await pty.plug();
  cleanups.push(() => pty.unplug());
  const manager = await DeviceManager.start({ settingsDir: tempDir() });
  cleanups.push(() => manager.close());
  const events = recordEvents(manager);
  const saved = await manager.saveDevice({ device: serialScanner(pty.devicePath) });
  expect(saved.ok).toBe(true);
  await waitFor(
    () => (lastStatus(events, 'scanner-1')?.state.state === 'online' ? true : undefined),
    'scanner online',
  );
  const scans = (): ScanEvent[] => events.flatMap((e) => (e.event === 'scan' ? [e.payload] : []));
  return { pty, manager, events, scans };
}

describe('serial scanner on a pseudo-terminal', () => {
  it('turns bytes written at the far end into scan events with AIM and symbology', async () => {
    const { pty, scans } = await setUp();
    const peer = await openPeer(pty.peerPath);
    cleanups.push(() => closePeer(peer));
    await writePeer(peer, ']E06901234567892\r\nTP-8F3K-29QZ\r');
    const got = await waitFor(() => (scans().length >= 2 ? scans() : undefined), 'two scans');
    expect(got.map((s) => [s.value, s.aim, s.symbology])).toEqual([
      ['6901234567892', ']E0', 'ean13'],
      ['TP-8F3K-29QZ', null, 'unknown'],
    ]);
    expect(got[0]?.source).toEqual({ kind: 'serial', deviceId: 'scanner-1' });
  });

  it('goes offline when its device node goes away, even while the port itself gives no sign', async () => {
    const pty = new PtyPair();
    await pty.plug();
    cleanups.push(() => pty.unplug());
    // The scanner at a name of our own for the terminal: removing the name leaves socat and the
    // open port as they are, so only the link's look for its device node can notice.
    const alias = join(tempDir(), 'ttyUSB-alias');
    symlinkSync(realpathSync(pty.devicePath), alias);
    const manager = await DeviceManager.start({ settingsDir: tempDir() });
    cleanups.push(() => manager.close());
    const events = recordEvents(manager);
    expect((await manager.saveDevice({ device: serialScanner(alias) })).ok).toBe(true);
    await waitFor(
      () => (lastStatus(events, 'scanner-1')?.state.state === 'online' ? true : undefined),
      'scanner online',
    );
    unlinkSync(alias);
    const offline = await waitFor(() => {
      const s = lastStatus(events, 'scanner-1');
      return s?.state.state === 'offline' ? s.state : undefined;
    }, 'scanner offline');
    expect(offline.reason).toMatch(/is gone/);
  });

  it('goes offline when the port vanishes, comes back, and loses no scan after it is back', async () => {
    const { pty, events, scans } = await setUp();
    await pty.unplug();
    const offline = await waitFor(() => {
      const s = lastStatus(events, 'scanner-1');
      return s?.state.state === 'offline' ? s.state : undefined;
    }, 'scanner offline');
    expect(offline.reason).toMatch(/serial port/);

    await pty.plug();
    await waitFor(
      () => (lastStatus(events, 'scanner-1')?.state.state === 'online' ? true : undefined),
      'scanner back online',
    );
    const peer = await openPeer(pty.peerPath);
    cleanups.push(() => closePeer(peer));
    const codes = Array.from({ length: 50 }, (_, i) => `VC-${String(i).padStart(4, '0')}`);
    for (const code of codes) await writePeer(peer, `${code}\r`);
    const got = await waitFor(
      () => (scans().length >= codes.length ? scans() : undefined),
      'all scans after replug',
    );
    expect(got.map((s) => s.value)).toEqual(codes);
  });
});
