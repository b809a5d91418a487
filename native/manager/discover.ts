import { readdir } from 'node:fs/promises';
import HID from 'node-hid';
import { SerialPort } from 'serialport';
import type { DiscoveredPort } from '../../core/devices/config';
import { HID_POS_USAGE_PAGE } from '../scanners/hidPosReport';

/** Ports present now. A source that fails (no permission, no /dev/usb) just adds nothing. */
export async function discoverPorts(): Promise<DiscoveredPort[]> {
  const [serial, hid, usb] = await Promise.all([
    SerialPort.list().catch(() => []),
    HID.devicesAsync().catch(() => []),
    readdir('/dev/usb').catch(() => [] as string[]),
  ]);
  const found: DiscoveredPort[] = [];
  for (const p of serial) {
    found.push({
      kind: 'serial',
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
    });
  }
  const seen = new Set<string>();
  for (const d of hid) {
    if (d.usagePage !== HID_POS_USAGE_PAGE) continue;
    const key = `${d.vendorId}:${d.productId}:${d.serialNumber ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({
      kind: 'hid_pos',
      vendorId: d.vendorId,
      productId: d.productId,
      product: d.product ?? null,
      serialNumber: d.serialNumber ?? null,
    });
  }
  for (const name of usb.filter((n) => /^lp\d+$/.test(n)).sort()) {
    found.push({ kind: 'usb_printer', path: `/dev/usb/${name}` });
  }
  return found;
}
