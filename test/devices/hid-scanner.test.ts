import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConfig } from '../../core/devices/config';
import type { ScanEvent } from '../../core/devices/scan';
import type { DeviceState } from '../../core/devices/status';
import { HID_POS_MODE_REPORTS } from '../../native/scanners/hid-pos-mode';
import { HidScanner } from '../../native/scanners/hidScanner';
import { SimulatedHidBus } from '../sim/hid-bus';
import { HONEYWELL_EAN13_REPORT } from '../sim/hidReports';
import { waitFor } from './fixtures';

const HONEYWELL = 0x0c2e;
const YOUJIE = 0x23d0;
const ZEBRA = 0x05e0;
const HID_POS = 0x8c;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const hidScanner = (vendorId: number, productId: number): DeviceConfig =>
  DeviceConfig.parse({
    id: 'hid-1',
    name: 'HID POS scanner',
    kind: 'hid_scanner',
    vendorId,
    productId,
    serialNumber: null,
  });

async function openScanner(bus: SimulatedHidBus, vendorId: number, productId: number) {
  const scans: ScanEvent[] = [];
  const states: DeviceState[] = [];
  const config = hidScanner(vendorId, productId);
  if (config.kind !== 'hid_scanner') throw new Error('not a HID scanner');
  const scanner = new HidScanner(
    config,
    { onScan: (s) => scans.push(s), onState: (s) => states.push(s), now: () => new Date() },
    bus,
  );
  cleanups.push(() => scanner.close());
  await scanner.open();
  return { scanner, scans, states };
}

describe('HID POS scanner through node-hid', () => {
  it('puts a Honeywell into HID POS mode with feature report 0xFE 0x01 on open, then reads its scans', async () => {
    const bus = new SimulatedHidBus();
    const path = bus.plug({
      vendorId: HONEYWELL,
      productId: 0x1007,
      usagePage: HID_POS,
      interface: 1,
    });
    const { scanner, scans } = await openScanner(bus, HONEYWELL, 0x1007);
    expect(scanner.state).toEqual({ state: 'online' });
    expect(bus.featureReports(path)).toEqual([[0xfe, 0x01]]);
    bus.send(path, HONEYWELL_EAN13_REPORT);
    expect(scans).toMatchObject([
      {
        value: '6901234567892',
        aim: ']E0',
        symbology: 'ean13',
        source: { kind: 'hid', deviceId: 'hid-1' },
      },
    ]);
  });

  it('sends the same report to a Youjie scanner', async () => {
    const bus = new SimulatedHidBus();
    const path = bus.plug({
      vendorId: YOUJIE,
      productId: 0x0001,
      usagePage: HID_POS,
      interface: 0,
    });
    await openScanner(bus, YOUJIE, 0x0001);
    expect(bus.featureReports(path)).toEqual([[0xfe, 0x01]]);
  });

  it('sends nothing to a scanner of a vendor that needs no feature report', async () => {
    const bus = new SimulatedHidBus();
    const path = bus.plug({ vendorId: ZEBRA, productId: 0x1300, usagePage: HID_POS, interface: 0 });
    const { scanner } = await openScanner(bus, ZEBRA, 0x1300);
    expect(scanner.state).toEqual({ state: 'online' });
    expect(bus.featureReports(path)).toEqual([]);
  });

  it('still opens and reads a Honeywell whose interface refuses the report', async () => {
    const bus = new SimulatedHidBus();
    const path = bus.plug({
      vendorId: HONEYWELL,
      productId: 0x0907,
      usagePage: HID_POS,
      interface: 0,
      refusesFeatureReports: true,
    });
    const { scanner, scans } = await openScanner(bus, HONEYWELL, 0x0907);
    expect(scanner.state).toEqual({ state: 'online' });
    bus.send(path, HONEYWELL_EAN13_REPORT);
    expect(scans.map((s) => s.value)).toEqual(['6901234567892']);
  });

  it('sends the report again when the scanner is plugged back in', async () => {
    const bus = new SimulatedHidBus();
    const first = bus.plug({
      vendorId: HONEYWELL,
      productId: 0x1007,
      usagePage: HID_POS,
      interface: 1,
    });
    const { scanner, scans } = await openScanner(bus, HONEYWELL, 0x1007);
    bus.unplug(first);
    await waitFor(() => (scanner.state.state === 'offline' ? true : undefined), 'scanner offline');
    const second = bus.plug({
      vendorId: HONEYWELL,
      productId: 0x1007,
      usagePage: HID_POS,
      interface: 1,
    });
    await waitFor(() => (bus.isOpen(second) ? true : undefined), 'scanner reopened');
    expect(bus.featureReports(second)).toEqual([[0xfe, 0x01]]);
    bus.send(second, HONEYWELL_EAN13_REPORT);
    expect(scans.map((s) => s.value)).toEqual(['6901234567892']);
  });

  it('opens only the HID POS interface, not the keyboard interface beside it', async () => {
    const bus = new SimulatedHidBus();
    const keyboard = bus.plug({
      vendorId: HONEYWELL,
      productId: 0x1007,
      usagePage: 0x01,
      interface: 0,
    });
    const pos = bus.plug({
      vendorId: HONEYWELL,
      productId: 0x1007,
      usagePage: HID_POS,
      interface: 1,
    });
    await openScanner(bus, HONEYWELL, 0x1007);
    expect(bus.isOpen(keyboard)).toBe(false);
    expect(bus.isOpen(pos)).toBe(true);
    expect(bus.featureReports(pos)).toEqual([[0xfe, 0x01]]);
  });

  it('has a udev rule opening hidraw to every vendor it sends a feature report to', () => {
    const rules = readFileSync(
      new URL('../../native/udev/70-tillpoint-hidpos.rules', import.meta.url),
      'utf8',
    )
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    const vendors = rules.map((line) => /ATTRS\{idVendor\}=="([0-9a-f]{4})"/.exec(line)?.[1]);
    for (const vendorId of HID_POS_MODE_REPORTS.keys())
      expect(vendors).toContain(vendorId.toString(16).padStart(4, '0'));
    for (const line of rules) {
      expect(line).toMatch(/^SUBSYSTEM=="hidraw", ATTRS\{idVendor\}=="[0-9a-f]{4}", /);
      expect(line).toContain('MODE="0660", GROUP="plugdev", TAG+="uaccess"');
    }
  });
});
