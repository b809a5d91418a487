import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DeviceApi, DeviceEventName, DevicePayload } from '../../core/devices/contract';
import { startDeviceHost } from '../../native/host/deviceHost';
import { DeviceManager } from '../../native/manager/deviceManager';
import { createDeviceClient, type SocketLike } from '../../renderer/devices/deviceClient';
import { PtyPair } from '../sim/ptyPair';
import { startTcpPrinter } from '../sim/tcpPrinter';
import { tokenize } from '../sim/escposTokenizer';
import {
  closePeer,
  inAnHour,
  jobId,
  openPeer,
  saleReceipt,
  serialScanner,
  tcpPrinter,
  tempDir,
  waitFor,
  writePeer,
} from './fixtures';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Node 20 has no global WebSocket; the `ws` package plays the browser's part. */
const wsSocket = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;

async function host() {
  const manager = await DeviceManager.start({ settingsDir: tempDir() });
  const h = await startDeviceHost({ service: manager, port: 0 });
  cleanups.push(async () => {
    await h.close();
    await manager.close();
  });
  return { manager, url: h.url };
}

const refusal = (url: string, headers: Record<string, string> = {}) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
  });

describe('device host (browser mode) over a real WebSocket', () => {
  it('listens on 127.0.0.1 with a token in its URL', async () => {
    const { url } = await host();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/devices\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses connections without the token or with a wrong one', async () => {
    const { url } = await host();
    const bare = url.replace(/\?token=.*$/, '');
    expect(await refusal(bare)).toBe(401);
    expect(await refusal(`${bare}?token=${'x'.repeat(43)}`)).toBe(401);
    expect(await refusal(url)).toBe(101);
  });

  it('refuses a Host header other than the loopback address (DNS rebinding)', async () => {
    const { url } = await host();
    expect(await refusal(url, { Host: 'evil.example:80' })).toBe(403);
  });

  it('answers a malformed call with BAD_REQUEST and a reason, and keeps serving', async () => {
    const { url } = await host();
    const ws = new WebSocket(url);
    cleanups.push(async () => void ws.close());
    await new Promise((r) => ws.once('open', r));
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d))));
    ws.send('not json');
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 7,
        method: 'saveDevice',
        input: { device: { kind: 'laser' } },
      }),
    );
    ws.send(JSON.stringify({ type: 'call', id: 8, method: 'listDevices', input: {} }));
    await waitFor(() => (replies.length === 3 ? true : undefined), 'three replies');
    expect(replies[0]).toMatchObject({ type: 'reply', result: { ok: false, code: 'BAD_REQUEST' } });
    expect(replies[1]).toMatchObject({ id: 7, result: { ok: false, code: 'BAD_REQUEST' } });
    expect((replies[1] as { result: { message: string } }).result.message).toMatch(/saveDevice/);
    expect(replies[2]).toEqual({
      type: 'reply',
      id: 8,
      result: { ok: true, value: { devices: [], configs: [], defaultPrinterId: null } },
    });
  });

  it('serves the renderer device client: configure, print, and stream scans', async () => {
    const { url } = await host();
    const printer = await startTcpPrinter();
    cleanups.push(() => printer.close());
    const pty = new PtyPair();
    await pty.plug();
    cleanups.push(() => pty.unplug());

    const client = createDeviceClient({ hostUrl: url, socket: wsSocket });
    cleanups.push(async () => client.close());
    const seen: { [E in DeviceEventName]?: DevicePayload<E>[] } = {};
    const scans: DevicePayload<'scan'>[] = [];
    client.on('scan', (s) => scans.push(s));
    client.on('status', (s) => (seen.status ??= []).push(s));

    const savedPrinter = await client.saveDevice({ device: tcpPrinter(printer.port) });
    expect(savedPrinter).toMatchObject({
      ok: true,
      value: { deviceId: 'printer-lan', state: { state: 'online' } },
    });
    const savedScanner = await client.saveDevice({ device: serialScanner(pty.devicePath) });
    expect(savedScanner).toMatchObject({ ok: true, value: { state: { state: 'online' } } });

    const printed = await client.printReceipt({
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-4001'),
      openDrawer: false,
    });
    expect(printed).toMatchObject({ ok: true, value: { outcome: 'printed' } });
    await waitFor(
      () => (tokenize(printer.sim.printed()).some((t) => t.type === 'barcode') ? true : undefined),
      'receipt on the TCP printer',
    );

    const peer = await openPeer(pty.peerPath);
    cleanups.push(() => closePeer(peer));
    await writePeer(peer, ']Q1TP-8F3K-29QZ\r');
    const scan = await waitFor(() => scans[0], 'scan through the host');
    expect(scan).toMatchObject({
      value: 'TP-8F3K-29QZ',
      aim: ']Q1',
      symbology: 'qr',
      source: { kind: 'serial' },
    });
    expect(seen.status?.some((s) => s.deviceId === 'scanner-1')).toBe(true);
  });

  it('returns failures as values: paper end through the client', async () => {
    const { url } = await host();
    const printer = await startTcpPrinter();
    cleanups.push(() => printer.close());
    const client = createDeviceClient({ hostUrl: url, socket: wsSocket });
    cleanups.push(async () => client.close());
    await client.saveDevice({ device: tcpPrinter(printer.port) });
    printer.sim.status = { online: false, coverOpen: false, paperEnd: true, paperNearEnd: false };
    const result = await client.testPrint({ printerId: null, jobId: jobId() });
    expect(result).toMatchObject({ ok: false, code: 'PAPER_END' });
  });

  it('tells the app the host is unreachable instead of throwing', async () => {
    const { url } = await host();
    const wrong = url.replace(/token=.*/, 'token=wrong');
    const client = createDeviceClient({ hostUrl: wrong, socket: wsSocket });
    cleanups.push(async () => client.close());
    const result = await client.listDevices({});
    expect(result).toMatchObject({ ok: false, code: 'DEVICE_HOST_UNAVAILABLE' });
    expect(!result.ok && result.message).toMatch(/device host at 127\.0\.0\.1/);
  });

  it('talks to an Electron-style bridge the same way, validating what comes back', async () => {
    const { manager } = await host();
    let emit: (payload: unknown) => void = () => undefined;
    // The shape the preload exposes, served in-process by the real manager.
    const bridge: DeviceApi = {
      ...manager,
      on: (_event, listener) => {
        emit = listener as (payload: unknown) => void;
        return () => undefined;
      },
    };
    const client = createDeviceClient({ bridge });
    expect(await client.listDevices({})).toEqual({
      ok: true,
      value: { devices: [], configs: [], defaultPrinterId: null },
    });
    const scans: DevicePayload<'scan'>[] = [];
    client.on('scan', (s) => scans.push(s));
    emit({ value: '', aim: null });
    const good = {
      value: '6901234567892',
      aim: ']E0',
      symbology: 'ean13',
      source: { kind: 'hid', deviceId: 'scanner-1' },
      at: '2026-11-22T05:05:07.000Z',
    };
    emit(good);
    expect(scans).toEqual([good]);
  });
});

describe('device host command line', () => {
  it('prints its URL with the token once listening, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'native/host/cli.ts', '--port', '0', '--settings-dir', tempDir()],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const match = /^TILLPOINT_DEVICE_HOST (ws:\/\/127\.0\.0\.1:\d+\/devices\?token=\S+)$/.exec(
      first,
    );
    expect(match).not.toBeNull();
    const client = createDeviceClient({ hostUrl: match?.[1], socket: wsSocket });
    expect(await client.listDevices({})).toMatchObject({ ok: true });
    client.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
