import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { v7 as uuidv7 } from 'uuid';
import { DeviceConfig } from '../../core/devices/config';
import type { DeviceStatus } from '../../core/devices/status';
import { PrintJobId } from '../../core/devices/ids';
import { Receipt } from '../../core/receipt/model';
import type { DeviceEventFrame, DeviceService } from '../../native/manager/service';

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'tillpoint-devices-'));

export const serialLine = (path: string) => ({
  path,
  baudRate: 9600 as const,
  dataBits: 8 as const,
  parity: 'none' as const,
  stopBits: 1 as const,
});

export const serialScanner = (path: string, id = 'scanner-1'): DeviceConfig =>
  DeviceConfig.parse({
    id,
    name: 'Front scanner',
    kind: 'serial_scanner',
    line: serialLine(path),
    frameTimeoutMs: 50,
  });

export const serialPrinter = (path: string, id = 'printer-serial'): DeviceConfig =>
  DeviceConfig.parse({
    id,
    name: 'Serial printer',
    kind: 'serial_printer',
    line: serialLine(path),
    paperWidth: 58,
    cut: true,
    statusQuery: true,
  });

export const tcpPrinter = (port: number, id = 'printer-lan'): DeviceConfig =>
  DeviceConfig.parse({
    id,
    name: 'LAN printer',
    kind: 'tcp_printer',
    host: '127.0.0.1',
    port,
    paperWidth: 80,
    cut: true,
    statusQuery: true,
  });

export const usbPrinter = (path: string, id = 'printer-usb'): DeviceConfig =>
  DeviceConfig.parse({
    id,
    name: 'USB printer',
    kind: 'usb_printer',
    path,
    paperWidth: 80,
    cut: true,
    statusQuery: false,
  });

export const jobId = (): PrintJobId => PrintJobId.parse(uuidv7());

export const inAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString();

export const saleReceipt = (saleId: string, over: Partial<Receipt> = {}): Receipt =>
  Receipt.parse({
    saleId,
    locale: 'zh-CN',
    store: {
      id: 'sh-001',
      name: '上海静安店',
      address: null,
      phone: null,
      timeZone: 'Asia/Shanghai',
    },
    terminalId: 'T1',
    terminalName: '1号收银台',
    cashier: '王小明',
    at: '2026-11-22T05:05:07.000Z',
    lines: [{ name: '拿铁咖啡', quantity: 1, unitPriceFen: 3200, amountFen: 3200 }],
    vouchers: [{ code: 'TP-8F3K-29QZ', name: '满30减5', discountFen: 500, pendingSync: true }],
    totals: { subtotalFen: 3200, discountFen: 500, totalFen: 2700 },
    tenders: [{ kind: 'wechat_pay', amountFen: 2700, reference: '4200001234202611220001' }],
    changeFen: 0,
    pendingSync: true,
    reprintedAt: null,
    footer: ['谢谢惠顾'],
    ...over,
  });

/** Polls until check() returns a value other than undefined; fails with `what` after the deadline. */
export async function waitFor<T>(
  check: () => T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects a service's events for assertions. */
export function recordEvents(service: DeviceService): DeviceEventFrame[] {
  const events: DeviceEventFrame[] = [];
  service.subscribe((e) => events.push(e));
  return events;
}

export const lastStatus = (
  events: readonly DeviceEventFrame[],
  deviceId: string,
): DeviceStatus | undefined =>
  [...events]
    .reverse()
    .find(
      (e): e is Extract<DeviceEventFrame, { event: 'status' }> =>
        e.event === 'status' && e.payload.deviceId === deviceId,
    )?.payload;

/** Opens the test's end of a pty pair as a serial port. */
export function openPeer(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    port.on('error', () => undefined);
    port.open((e) => (e ? reject(e) : resolve(port)));
  });
}

export const closePeer = (port: SerialPort): Promise<void> =>
  new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));

export const writePeer = (port: SerialPort, data: string | Uint8Array): Promise<void> =>
  new Promise((resolve, reject) =>
    port.write(Buffer.from(data), (e) =>
      e ? reject(e) : port.drain((d) => (d ? reject(d) : resolve())),
    ),
  );
