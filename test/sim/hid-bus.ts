import { EventEmitter } from 'node:events';
import type HID from 'node-hid';
import type { HidBackend, HidPort } from '../../native/scanners/hidScanner';

/**
 * A USB HID bus in memory, standing in for node-hid where no real or virtual
 * (uhid) HID device can be made: scanners are plugged in and out, enumerate
 * as node-hid lists them, record the feature reports sent to them, and send
 * input reports (test/sim/hidReports.ts) to whoever opened them.
 */
export interface SimulatedHidDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly usagePage: number;
  readonly interface: number;
  readonly serialNumber?: string;
  /** Answer every feature report with an error, as an interface that defines none does. */
  readonly refusesFeatureReports?: boolean;
}

class SimulatedPort extends EventEmitter implements HidPort {
  open = true;
  constructor(private readonly device: Plugged) {
    super();
  }

  async sendFeatureReport(data: number[]): Promise<number> {
    if (!this.open) throw new Error('device is closed');
    if (this.device.refusesFeatureReports === true)
      throw new Error('could not send feature report');
    this.device.featureReports.push([...data]);
    return data.length;
  }

  async close(): Promise<void> {
    this.open = false;
    this.removeAllListeners();
  }
}

interface Plugged extends SimulatedHidDevice {
  readonly path: string;
  readonly featureReports: number[][];
  readonly ports: SimulatedPort[];
}

export class SimulatedHidBus implements HidBackend {
  private readonly devices = new Map<string, Plugged>();
  private next = 0;

  /** Plugs a device in; returns its hidraw path. */
  plug(device: SimulatedHidDevice): string {
    const path = `/dev/hidraw-sim${this.next++}`;
    this.devices.set(path, { ...device, path, featureReports: [], ports: [] });
    return path;
  }

  /** Pulls the device out: open handles report an error, as node-hid's do. */
  unplug(path: string): void {
    const device = this.devices.get(path);
    this.devices.delete(path);
    for (const port of device?.ports ?? [])
      if (port.open) port.emit('error', new Error('could not read from HID device'));
  }

  /** The feature reports each open sent to the device at `path`, report id first. */
  featureReports(path: string): number[][] {
    return this.devices.get(path)?.featureReports ?? [];
  }

  /** Whether anything holds the device open now. */
  isOpen(path: string): boolean {
    return this.devices.get(path)?.ports.some((p) => p.open) ?? false;
  }

  /** Sends an input report to every open handle of the device. */
  send(path: string, report: Uint8Array): void {
    for (const port of this.devices.get(path)?.ports ?? [])
      if (port.open) port.emit('data', Buffer.from(report));
  }

  async devicesAsync(vendorId: number, productId: number): Promise<HID.Device[]> {
    return [...this.devices.values()]
      .filter((d) => d.vendorId === vendorId && d.productId === productId)
      .map((d) => ({
        vendorId: d.vendorId,
        productId: d.productId,
        path: d.path,
        serialNumber: d.serialNumber,
        release: 0x0100,
        interface: d.interface,
        usagePage: d.usagePage,
        usage: 0x02,
      }));
  }

  async open(path: string): Promise<HidPort> {
    const device = this.devices.get(path);
    if (device === undefined) throw new Error(`cannot open device with path ${path}`);
    const port = new SimulatedPort(device);
    device.ports.push(port);
    return port;
  }
}
