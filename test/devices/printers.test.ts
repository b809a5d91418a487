import { execFileSync } from 'node:child_process';
import { createReadStream, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceId } from '../../core/devices/ids';
import { DeviceManager } from '../../native/manager/deviceManager';
import { code128Text, printedLines, tokenize } from '../sim/escposTokenizer';
import { PrinterSim } from '../sim/printerSim';
import { PtyPair } from '../sim/ptyPair';
import { startTcpPrinter } from '../sim/tcpPrinter';
import {
  closePeer,
  inAnHour,
  jobId,
  lastStatus,
  openPeer,
  recordEvents,
  saleReceipt,
  serialPrinter,
  tcpPrinter,
  tempDir,
  usbPrinter,
  waitFor,
} from './fixtures';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The sale ids printed as scan codes: Code 128 for these short ids, a QR code for long ones. */
const saleCodes = (bytes: Uint8Array): string[] =>
  tokenize(bytes).flatMap((t) =>
    t.type === 'qr_store' ? [t.data] : t.type === 'barcode' ? [code128Text(t.data)] : [],
  );

async function managerWith(settingsDir = tempDir()) {
  const manager = await DeviceManager.start({ settingsDir });
  cleanups.push(() => manager.close());
  return { manager, events: recordEvents(manager), settingsDir };
}

const online = (events: ReturnType<typeof recordEvents>, id: string) =>
  waitFor(
    () => (lastStatus(events, id)?.state.state === 'online' ? true : undefined),
    `${id} online`,
  );

describe('network printer (raw TCP on 127.0.0.1)', () => {
  async function setUp() {
    const printer = await startTcpPrinter();
    cleanups.push(() => printer.close());
    const { manager, events } = await managerWith();
    expect((await manager.saveDevice({ device: tcpPrinter(printer.port) })).ok).toBe(true);
    await online(events, 'printer-lan');
    return { printer, manager, events };
  }

  it('prints a receipt whose Chinese text and sale code decode back', async () => {
    const { printer, manager } = await setUp();
    const result = await manager.printReceipt({
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-1001'),
      openDrawer: false,
    });
    expect(result).toMatchObject({
      ok: true,
      value: { outcome: 'printed', printerId: 'printer-lan' },
    });
    const bytes = await waitFor(() => {
      const b = printer.sim.printed();
      return saleCodes(b).length > 0 ? b : undefined;
    }, 'receipt bytes');
    expect(saleCodes(bytes)).toEqual(['S-1001']);
    const lines = printedLines(tokenize(bytes));
    expect(lines).toContain('上海静安店');
    expect(lines).toContain('*** 待同步 ***');
    // The status was asked before printing: DLE EOT 1, 2, 4 precede the receipt.
    expect([...printer.sim.bytes().subarray(0, 9)]).toEqual([0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 4]);
  });

  it('refuses to start a receipt when the printer reports paper end, and says why', async () => {
    const { printer, manager, events } = await setUp();
    printer.sim.status = { online: false, coverOpen: false, paperEnd: true, paperNearEnd: true };
    const result = await manager.printReceipt({
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: DeviceId.parse('printer-lan'),
      receipt: saleReceipt('S-1002'),
      openDrawer: true,
    });
    expect(result).toMatchObject({ ok: false, code: 'PAPER_END' });
    expect(!result.ok && result.message).toMatch(/out of paper/);
    expect(saleCodes(printer.sim.printed())).toEqual([]);
    expect(tokenize(printer.sim.printed()).some((t) => t.type === 'drawer')).toBe(false);
    expect(lastStatus(events, 'printer-lan')?.printer).toMatchObject({ paperEnd: true });
  });

  it('refuses on cover open and reports it through printerStatus', async () => {
    const { printer, manager } = await setUp();
    printer.sim.status = { online: false, coverOpen: true, paperEnd: false, paperNearEnd: false };
    const status = await manager.printerStatus({ printerId: null });
    expect(status).toEqual({
      ok: true,
      value: { online: false, coverOpen: true, paperEnd: false, paperNearEnd: false },
    });
    const result = await manager.testPrint({ printerId: null, jobId: jobId() });
    expect(result).toMatchObject({ ok: false, code: 'COVER_OPEN' });
  });

  it('refuses with a way out when the printer never answers status', async () => {
    const { printer, manager } = await setUp();
    printer.sim.silent = true;
    const result = await manager.printReceipt({
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-1003'),
      openDrawer: false,
    });
    expect(result).toMatchObject({ ok: false, code: 'PRINTER_OFFLINE' });
    expect(!result.ok && result.message).toMatch(/ask printer status/);
  });

  it('prints a job id once: the same job again is a duplicate, not a second receipt', async () => {
    const { printer, manager } = await setUp();
    const request = {
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-1004'),
      openDrawer: false,
    };
    expect(await manager.printReceipt(request)).toMatchObject({
      ok: true,
      value: { outcome: 'printed' },
    });
    expect(await manager.printReceipt(request)).toMatchObject({
      ok: true,
      value: { outcome: 'duplicate' },
    });
    await waitFor(
      () => (saleCodes(printer.sim.printed()).length > 0 ? true : undefined),
      'receipt',
    );
    expect(saleCodes(printer.sim.printed())).toEqual(['S-1004']);
  });

  it('never prints a job that has already expired', async () => {
    const { printer, manager } = await setUp();
    const result = await manager.printReceipt({
      jobId: jobId(),
      expiresAt: new Date(Date.now() - 1_000).toISOString(),
      printerId: null,
      receipt: saleReceipt('S-1005'),
      openDrawer: false,
    });
    expect(result).toMatchObject({ ok: false, code: 'JOB_EXPIRED' });
    expect(printer.sim.bytes().length).toBe(0);
  });

  it('remembers printed jobs across a restart of the device service', async () => {
    const printer = await startTcpPrinter();
    cleanups.push(() => printer.close());
    const dir = tempDir();
    const first = await DeviceManager.start({ settingsDir: dir });
    const firstEvents = recordEvents(first);
    await first.saveDevice({ device: tcpPrinter(printer.port) });
    await online(firstEvents, 'printer-lan');
    const request = {
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-1006'),
      openDrawer: false,
    };
    expect(await first.printReceipt(request)).toMatchObject({
      ok: true,
      value: { outcome: 'printed' },
    });
    await first.close();

    // start() resolves after each saved device's first open attempt.
    const { manager } = await managerWith(dir);
    expect(await manager.listDevices({})).toMatchObject({
      ok: true,
      value: {
        defaultPrinterId: 'printer-lan',
        devices: [{ deviceId: 'printer-lan', kind: 'tcp_printer', state: { state: 'online' } }],
      },
    });
    expect(await manager.printReceipt(request)).toMatchObject({
      ok: true,
      value: { outcome: 'duplicate' },
    });
    expect(saleCodes(printer.sim.printed())).toEqual(['S-1006']);
  });
});

describe('serial printer on a pseudo-terminal', () => {
  it('keeps a receipt sent while unplugged, prints it once when back, and never reprints the earlier one', async () => {
    const pty = new PtyPair();
    await pty.plug();
    cleanups.push(() => pty.unplug());
    // One roll of paper across both connections.
    let peer = await openPeer(pty.peerPath);
    const sim = new PrinterSim((b) => peer.write(Buffer.from(b)));
    peer.on('data', (c: Buffer) => sim.receive(c));
    cleanups.push(() => closePeer(peer));

    const { manager, events } = await managerWith();
    await manager.saveDevice({ device: serialPrinter(pty.devicePath) });
    await online(events, 'printer-serial');

    const first = {
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-2001'),
      openDrawer: false,
    };
    expect(await manager.printReceipt(first)).toMatchObject({
      ok: true,
      value: { outcome: 'printed' },
    });
    await waitFor(
      () => (saleCodes(sim.printed()).length === 1 ? true : undefined),
      'first receipt',
    );

    await closePeer(peer);
    await pty.unplug();
    await waitFor(
      () => (lastStatus(events, 'printer-serial')?.state.state === 'offline' ? true : undefined),
      'printer offline',
    );

    const second = {
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-2002'),
      openDrawer: true,
    };
    expect(await manager.printReceipt(second)).toMatchObject({
      ok: true,
      value: { outcome: 'queued' },
    });
    expect(await manager.printReceipt(first)).toMatchObject({
      ok: true,
      value: { outcome: 'duplicate' },
    });

    await pty.plug();
    peer = await openPeer(pty.peerPath);
    peer.on('data', (c: Buffer) => sim.receive(c));
    const done = await waitFor(
      () => events.find((e) => e.event === 'job' && e.payload.jobId === second.jobId),
      'queued job printed',
    );
    expect(done).toMatchObject({
      event: 'job',
      payload: { outcome: 'printed', printerId: 'printer-serial' },
    });
    await waitFor(
      () => (saleCodes(sim.printed()).length === 2 ? true : undefined),
      'second receipt',
    );
    expect(saleCodes(sim.printed())).toEqual(['S-2001', 'S-2002']);
    expect(await manager.printReceipt(second)).toMatchObject({
      ok: true,
      value: { outcome: 'duplicate' },
    });
    expect(tokenize(sim.printed()).filter((t) => t.type === 'drawer')).toHaveLength(1);
  });

  it('drops a queued receipt that expired before the printer came back, and says so', async () => {
    const pty = new PtyPair();
    const { manager, events } = await managerWith();
    await manager.saveDevice({ device: serialPrinter(pty.devicePath) });
    const job = {
      jobId: jobId(),
      expiresAt: new Date(Date.now() + 300).toISOString(),
      printerId: null,
      receipt: saleReceipt('S-2003'),
      openDrawer: false,
    };
    expect(await manager.printReceipt(job)).toMatchObject({
      ok: true,
      value: { outcome: 'queued' },
    });
    await new Promise((r) => setTimeout(r, 400));
    await pty.plug();
    cleanups.push(() => pty.unplug());
    const peer = await openPeer(pty.peerPath);
    const sim = new PrinterSim((b) => peer.write(Buffer.from(b)));
    peer.on('data', (c: Buffer) => sim.receive(c));
    cleanups.push(() => closePeer(peer));
    const event = await waitFor(
      () => events.find((e) => e.event === 'job' && e.payload.jobId === job.jobId),
      'expiry event',
    );
    expect(event).toMatchObject({ payload: { outcome: 'expired' } });
    expect(saleCodes(sim.printed())).toEqual([]);
  });
});

describe('USB printer class device (a file or FIFO standing in for /dev/usb/lp0)', () => {
  it('writes the receipt to the device file', async () => {
    const path = join(tempDir(), 'lp0');
    writeFileSync(path, '');
    const { manager, events } = await managerWith();
    await manager.saveDevice({ device: usbPrinter(path) });
    await online(events, 'printer-usb');
    const result = await manager.printReceipt({
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-3001'),
      openDrawer: false,
    });
    expect(result).toMatchObject({ ok: true, value: { outcome: 'printed' } });
    expect(saleCodes(readFileSync(path))).toEqual(['S-3001']);
  });

  it('streams the receipt through a FIFO to the reader behind it', async () => {
    const path = join(tempDir(), 'lp0');
    execFileSync('mkfifo', [path]);
    const received: Buffer[] = [];
    const reader = createReadStream(path);
    reader.on('data', (c) => received.push(Buffer.from(c)));
    // No wait for 'open': a FIFO's reader blocks until a writer comes, which is the printer under test.
    cleanups.push(async () => void reader.destroy());
    const { manager, events } = await managerWith();
    await manager.saveDevice({ device: usbPrinter(path) });
    await online(events, 'printer-usb');
    await manager.printReceipt({
      jobId: jobId(),
      expiresAt: inAnHour(),
      printerId: null,
      receipt: saleReceipt('S-3002'),
      openDrawer: false,
    });
    await waitFor(
      () => (saleCodes(Buffer.concat(received)).length > 0 ? true : undefined),
      'FIFO bytes',
    );
    expect(saleCodes(Buffer.concat(received))).toEqual(['S-3002']);
  });

  it('stays offline, never creating a file, while the device node is missing', async () => {
    const path = join(tempDir(), 'lp9');
    const { manager, events } = await managerWith();
    await manager.saveDevice({ device: usbPrinter(path) });
    const status = await waitFor(() => {
      const s = lastStatus(events, 'printer-usb');
      return s?.state.state === 'offline' ? s.state : undefined;
    }, 'offline');
    expect(status.reason).toMatch(/cannot open printer/);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });
});
