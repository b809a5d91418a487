import type { DeviceId } from '../../core/devices/ids';
import { AimId, splitAim, symbologyFromAim, type ScanEvent } from '../../core/devices/scan';

const decoder = new TextDecoder('utf-8');

/**
 * Turns the bytes of one scan into a scan event. `aim` is the identifier a
 * HID POS report carries beside the data; serial scanners may prefix it.
 */
export function toScanEvent(
  bytes: Uint8Array,
  source: { kind: 'hid' | 'serial'; deviceId: DeviceId },
  at: Date,
  aimBeside: string | null = null,
): ScanEvent | null {
  const text = decoder.decode(bytes).replace(/[\r\n]+$/, '');
  let aim: AimId | null = null;
  let value = text;
  const beside = aimBeside === null ? null : AimId.safeParse(aimBeside);
  if (beside?.success) {
    aim = beside.data;
  } else {
    ({ aim, value } = splitAim(text));
  }
  if (value.length === 0 || value.length > 4096) return null;
  return { value, aim, symbology: symbologyFromAim(aim), source, at: at.toISOString() };
}
