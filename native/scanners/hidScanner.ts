import HID from 'node-hid';
import type { DeviceConfig } from '../../core/devices/config';
import type { DeviceState } from '../../core/devices/status';
import { Reconnector } from '../manager/reconnector';
import { HID_POS_USAGE_PAGE, HidPosAssembler } from './hidPosReport';
import type { ScannerHooks } from './serialScanner';
import { toScanEvent } from './toScanEvent';

type HidConfig = Extract<DeviceConfig, { kind: 'hid_scanner' }>;

/** node-hid has no plug events: while a scanner is away, look for it this often. */
const POLL_MS = 1_000;

/** Finds the HID POS interface of the configured scanner among the devices present now. */
export async function findHidPosPath(config: HidConfig): Promise<string | null> {
  const devices = await HID.devicesAsync(config.vendorId, config.productId);
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
  private readonly link: Reconnector<HID.HIDAsync>;

  constructor(
    readonly config: HidConfig,
    hooks: ScannerHooks,
  ) {
    this.reports = new HidPosAssembler(({ aim, data }) => {
      const scan = toScanEvent(data, { kind: 'hid', deviceId: config.id }, hooks.now(), aim);
      if (scan !== null) hooks.onScan(scan);
    });
    const id = `${hex(config.vendorId)}:${hex(config.productId)}`;
    this.link = new Reconnector<HID.HIDAsync>({
      connect: async (lost) => {
        const path = await findHidPosPath(config);
        if (path === null)
          throw new Error(`scanner ${id} is not plugged in (or not in HID POS mode)`);
        const device = await HID.HIDAsync.open(path, { nonExclusive: true }).catch((e: unknown) => {
          throw new Error(
            `cannot open scanner ${id}: ${(e as Error).message}; check udev permissions`,
          );
        });
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
