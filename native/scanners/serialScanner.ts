import type { DeviceConfig } from '../../core/devices/config';
import type { ScanEvent } from '../../core/devices/scan';
import type { DeviceState } from '../../core/devices/status';
import { Reconnector } from '../manager/reconnector';
import type { Link } from '../transports/link';
import { openSerialLink } from '../transports/serialLink';
import { FrameAssembler } from './frameAssembler';
import { toScanEvent } from './toScanEvent';

export interface ScannerHooks {
  onScan(scan: ScanEvent): void;
  onState(state: DeviceState): void;
  now(): Date;
}

/** A serial scanner kept open across unplug and replug. */
export class SerialScanner {
  private readonly frames: FrameAssembler;
  private readonly link: Reconnector<Link>;

  constructor(
    readonly config: Extract<DeviceConfig, { kind: 'serial_scanner' }>,
    hooks: ScannerHooks,
  ) {
    this.frames = new FrameAssembler(config.frameTimeoutMs, (frame) => {
      const scan = toScanEvent(frame, { kind: 'serial', deviceId: config.id }, hooks.now());
      if (scan !== null) hooks.onScan(scan);
    });
    this.link = new Reconnector<Link>({
      connect: (lost) =>
        openSerialLink(config.line, {
          onData: (bytes) => this.frames.push(bytes),
          onLost: lost,
        }),
      disconnect: (link) => link.close(),
      onUp: () => this.frames.reset(),
      onState: hooks.onState,
      now: hooks.now,
    });
  }

  get state(): DeviceState {
    return this.link.state;
  }

  open(): Promise<void> {
    return this.link.open();
  }

  async close(): Promise<void> {
    await this.link.close();
    this.frames.reset();
  }
}
