import { z } from 'zod';
import {
  DeviceConfig,
  type SerialLine,
  type DeviceKind,
  type DiscoveredPort,
} from '../../../core/devices/config';
import { DeviceId } from '../../../core/devices/ids';
import type { StringKey } from '../../i18n/strings';

/**
 * The add-device form as typed (all text, as inputs give it) and its
 * translation into a DeviceConfig. Every field is checked here with a message
 * the manager can act on; the contract's schema checks the result once more.
 */
export interface DeviceForm {
  readonly kind: DeviceKind;
  readonly name: string;
  /** Serial port path, or the USB printer file. */
  readonly path: string;
  readonly baudRate: SerialLine['baudRate'];
  readonly dataBits: SerialLine['dataBits'];
  readonly parity: SerialLine['parity'];
  readonly stopBits: SerialLine['stopBits'];
  readonly frameTimeoutMs: string;
  readonly vendorId: string;
  readonly productId: string;
  readonly serialNumber: string;
  readonly host: string;
  readonly port: string;
  readonly paperWidth: 58 | 80;
  readonly cut: boolean;
  readonly statusQuery: boolean;
}

export type FormField = keyof DeviceForm;

export interface FormError {
  readonly field: FormField;
  readonly key: StringKey;
  readonly values?: Readonly<Record<string, string>>;
}

export const BAUD_RATES: readonly SerialLine['baudRate'][] = [
  1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200,
];

export const DEVICE_KINDS: readonly DeviceKind[] = [
  'serial_scanner',
  'hid_scanner',
  'serial_printer',
  'tcp_printer',
  'usb_printer',
];

/** Sensible starting values: 9600 8N1 is what most scanners and printers ship with. */
export function emptyForm(kind: DeviceKind): DeviceForm {
  return {
    kind,
    name: '',
    path: kind === 'usb_printer' ? '/dev/usb/lp0' : '',
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    frameTimeoutMs: '50',
    vendorId: '',
    productId: '',
    serialNumber: '',
    host: '',
    port: '9100',
    paperWidth: 80,
    cut: true,
    // A USB printer class file is write-only: asking for status would fail every receipt.
    statusQuery: kind !== 'usb_printer',
  };
}

/** Switching kind keeps what still applies (name, path) and resets the rest. */
export function withKind(form: DeviceForm, kind: DeviceKind): DeviceForm {
  const fresh = emptyForm(kind);
  const keepPath = (kind === 'usb_printer') === (form.kind === 'usb_printer') && form.path !== '';
  return { ...fresh, name: form.name, path: keepPath ? form.path : fresh.path };
}

/** Fills the form from a port the device service found. */
export function withPort(form: DeviceForm, port: DiscoveredPort): DeviceForm {
  switch (port.kind) {
    case 'serial':
      return {
        ...form,
        kind: form.kind === 'serial_printer' ? 'serial_printer' : 'serial_scanner',
        path: port.path,
      };
    case 'hid_pos':
      return {
        ...form,
        kind: 'hid_scanner',
        vendorId: hex4(port.vendorId),
        productId: hex4(port.productId),
        serialNumber: port.serialNumber ?? '',
        name: form.name === '' ? (port.product ?? '') : form.name,
      };
    case 'usb_printer':
      return { ...withKind(form, 'usb_printer'), path: port.path };
  }
}

export const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** "scanner-1", "printer-2": the first free id of its role. */
export function newDeviceId(kind: DeviceKind, taken: readonly string[]): DeviceId {
  const role = kind.endsWith('_scanner') ? 'scanner' : 'printer';
  let n = 1;
  while (taken.includes(`${role}-${n}`)) n += 1;
  return DeviceId.parse(`${role}-${n}`);
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

function parseHexId(text: string): number | null {
  const clean = text.trim().replace(/^0x/i, '');
  if (!/^[0-9A-Fa-f]{1,4}$/.test(clean)) return null;
  return Number.parseInt(clean, 16);
}

function parseWhole(text: string, min: number, max: number): number | null {
  const clean = text.trim();
  if (!/^\d{1,6}$/.test(clean)) return null;
  const n = Number(clean);
  return n >= min && n <= max ? n : null;
}

/**
 * The form as a device configuration, or every problem with it. Nothing is
 * sent to the device service unless this succeeds.
 */
export function formToConfig(
  form: DeviceForm,
  id: DeviceId,
): { ok: true; value: DeviceConfig } | { ok: false; errors: readonly FormError[] } {
  const errors: FormError[] = [];
  const name = form.name.trim();
  if (name === '') errors.push({ field: 'name', key: 'needName' });
  else if (name.length > 64) errors.push({ field: 'name', key: 'nameTooLong' });

  const needPath = form.kind !== 'hid_scanner' && form.kind !== 'tcp_printer';
  const path = form.path.trim();
  if (needPath && path === '') errors.push({ field: 'path', key: 'needPath' });
  else if (needPath && path.length > 256) errors.push({ field: 'path', key: 'pathTooLong' });

  const line: SerialLine = {
    path,
    baudRate: form.baudRate,
    dataBits: form.dataBits,
    parity: form.parity,
    stopBits: form.stopBits,
  };
  const printer = {
    paperWidth: form.paperWidth,
    cut: form.cut,
    statusQuery: form.kind === 'usb_printer' ? false : form.statusQuery,
  };

  let candidate: unknown;
  switch (form.kind) {
    case 'serial_scanner': {
      const frameTimeoutMs = parseWhole(form.frameTimeoutMs, 5, 2_000);
      if (frameTimeoutMs === null) errors.push({ field: 'frameTimeoutMs', key: 'badFrameTimeout' });
      candidate = { id, name, kind: form.kind, line, frameTimeoutMs };
      break;
    }
    case 'hid_scanner': {
      const vendorId = parseHexId(form.vendorId);
      const productId = parseHexId(form.productId);
      if (vendorId === null)
        errors.push({ field: 'vendorId', key: 'badUsbId', values: { field: 'VID ' } });
      if (productId === null)
        errors.push({ field: 'productId', key: 'badUsbId', values: { field: 'PID ' } });
      const serialNumber = form.serialNumber.trim();
      if (serialNumber.length > 128) errors.push({ field: 'serialNumber', key: 'badSerialNumber' });
      candidate = {
        id,
        name,
        kind: form.kind,
        vendorId,
        productId,
        serialNumber: serialNumber === '' ? null : serialNumber,
      };
      break;
    }
    case 'serial_printer':
      candidate = { id, name, kind: form.kind, line, ...printer };
      break;
    case 'usb_printer':
      candidate = { id, name, kind: form.kind, path, ...printer };
      break;
    case 'tcp_printer': {
      const host = form.host.trim();
      if (host === '') errors.push({ field: 'host', key: 'needHost' });
      else if (!HOST.test(host)) errors.push({ field: 'host', key: 'badHost' });
      const port = parseWhole(form.port, 1, 65_535);
      if (port === null) errors.push({ field: 'port', key: 'badTcpPort' });
      candidate = { id, name, kind: form.kind, host, port, ...printer };
      break;
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const parsed = DeviceConfig.safeParse(candidate);
  if (!parsed.success) {
    // Unreachable while the checks above mirror the schema; kept so a schema change cannot slip through.
    return {
      ok: false,
      errors: [
        { field: 'name', key: 'formInvalid', values: { detail: z.prettifyError(parsed.error) } },
      ],
    };
  }
  return { ok: true, value: parsed.data };
}
