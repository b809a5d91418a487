import HID from 'node-hid';
import type { DeviceConfig } from '../../core/devices/config';
import type { DeviceState } from '../../core/devices/status';
import { Reconnector } from '../manager/reconnector';
import { hidPosModeReport } from './hid-pos-mode';
import { HID_POS_USAGE_PAGE, HidPosAssembler } from './hidPosReport';
import type { ScannerHooks } from './serialScanner';
import { toScanEvent } from './toScanEvent';

type HidConfig = Extract<DeviceConfig, { kind: 'hid_scanner' }>;

/** node-hid has no plug events: while a scanner is away, look for it this often. */
const POLL_MS = 1_000;

/** An open HID device: the part of node-hid's HIDAsync a scanner uses. */
export interface HidPort {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  sendFeatureReport(data: number[]): Promise<number>;
  close(): Promise<void>;
}

/**
 * The node-hid calls a scanner makes. The default is node-hid itself; tests
 * pass a simulated bus (test/sim/hid-bus.ts) in its place, as no virtual HID
 * device (uhid) can be created on the machines they run on.
 */
export interface HidBackend {
  devicesAsync(vendorId: number, productId: number): Promise<HID.Device[]>;
  open(path: string): Promise<HidPort>;
}

export const nodeHid: HidBackend = {
  devicesAsync: (vendorId, productId) => HID.devicesAsync(vendorId, productId),
  open: (path) => HID.HIDAsync.open(path, { nonExclusive: true }),
};

/** Finds the HID POS interface of the configured scanner among the devices present now. */
export async function findHidPosPath(
  config: HidConfig,
  hid: HidBackend = nodeHid,
): Promise<string | null> {
  const devices = await hid.devicesAsync(config.vendorId, config.productId);
  const match = devices.find(
    (d) =>
      d.usagePage === HID_POS_USAGE_PAGE &&
      d.path !== undefined &&
      (config.serialNumber === null || d.serialNumber === config.serialNumber),
  );
  return match?.path ?? null;
}

/** A HID POS scanner, reopened when it is plugged back in. */
export class HidScanner {
  private readonly reports: HidPosAssembler;
  private readonly link: Reconnector<HidPort>;

  constructor(
    readonly config: HidConfig,
    hooks: ScannerHooks,
    hid: HidBackend = nodeHid,
  ) {
    this.reports = new HidPosAssembler(({ aim, data }) => {
      const scan = toScanEvent(data, { kind: 'hid', deviceId: config.id }, hooks.now(), aim);
      if (scan !== null) hooks.onScan(scan);
    });
    const id = `${hex(config.vendorId)}:${hex(config.productId)}`;
    this.link = new Reconnector<HidPort>({
      connect: async (lost) => {
        const path = await findHidPosPath(config, hid);
        if (path === null)
          throw new Error(`scanner ${id} is not plugged in (or not in HID POS mode)`);
        const device = await hid.open(path).catch((e: unknown) => {
          throw new Error(
            `cannot open scanner ${id}: ${(e as Error).message}; check the udev rule for hidraw access (README.md, "HID POS scanners on Linux")`,
          );
        });
        // Sent on every open, as Honeywell's guide puts it in the start-up sequence: nothing says
        // a scanner keeps it across a replug or a power cut.
        const mode = hidPosModeReport(config.vendorId);
        if (mode !== null) {
          // Honeywell's guide: a pure HID POS interface may refuse it; carry on regardless.
          await device.sendFeatureReport([...mode.report]).catch(() => 0);
        }
        device.on('data', (report: Buffer) => this.reports.push(report));
        device.on('error', (e: unknown) =>
          lost(`scanner ${id} went away: ${(e as Error).message}`),
        );
        return device;
      },
      disconnect: (device) => device.close(),
      onUp: () => this.reports.reset(),
      onState: hooks.onState,
      now: hooks.now,
      delay: () => POLL_MS,
    });
  }

  get state(): DeviceState {
    return this.link.state;
  }

  open(): Promise<void> {
    return this.link.open();
  }

  close(): Promise<void> {
    return this.link.close();
  }
}

const hex = (n: number): string => n.toString(16).padStart(4, '0');
