import { describe, expect, it } from 'vitest';
import { DeviceId } from '../../../core/devices/ids';
import {
  emptyForm,
  formToConfig,
  newDeviceId,
  withKind,
  withPort,
  type DeviceForm,
} from './device-form';

const id = DeviceId.parse('device-1');
const fieldsOf = (form: DeviceForm): string[] => {
  const r = formToConfig(form, id);
  return r.ok ? [] : r.errors.map((e) => e.field);
};

describe('add-device form', () => {
  it('turns a filled serial scanner form into its configuration', () => {
    const r = formToConfig(
      {
        ...emptyForm('serial_scanner'),
        name: ' 前台扫码枪 ',
        path: '/dev/ttyUSB0',
        parity: 'even',
        frameTimeoutMs: '80',
      },
      id,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'device-1',
        name: '前台扫码枪',
        kind: 'serial_scanner',
        line: { path: '/dev/ttyUSB0', baudRate: 9600, dataBits: 8, parity: 'even', stopBits: 1 },
        frameTimeoutMs: 80,
      },
    });
  });

  it('names every missing or bad field at once', () => {
    expect(fieldsOf({ ...emptyForm('serial_scanner'), frameTimeoutMs: '3' })).toEqual([
      'name',
      'path',
      'frameTimeoutMs',
    ]);
    expect(
      fieldsOf({ ...emptyForm('tcp_printer'), name: 'LAN', host: 'bad host!', port: '70000' }),
    ).toEqual(['host', 'port']);
    expect(
      fieldsOf({ ...emptyForm('hid_scanner'), name: 'HID', vendorId: 'xyz', productId: '12345' }),
    ).toEqual(['vendorId', 'productId']);
  });

  it('reads USB ids as hex, with or without 0x', () => {
    const r = formToConfig(
      { ...emptyForm('hid_scanner'), name: 'HID', vendorId: '0x0c2e', productId: '0B61' },
      id,
    );
    expect(r).toMatchObject({
      ok: true,
      value: { vendorId: 0x0c2e, productId: 0x0b61, serialNumber: null },
    });
  });

  it('always turns status queries off for a USB printer file, which is write-only', () => {
    const form = { ...emptyForm('usb_printer'), name: 'USB', statusQuery: true };
    expect(formToConfig(form, id)).toMatchObject({
      ok: true,
      value: { statusQuery: false, path: '/dev/usb/lp0' },
    });
    expect(emptyForm('usb_printer').statusQuery).toBe(false);
    expect(emptyForm('tcp_printer').statusQuery).toBe(true);
  });

  it('builds a network printer with paper width and port', () => {
    const r = formToConfig(
      { ...emptyForm('tcp_printer'), name: 'LAN', host: '192.168.1.50', paperWidth: 58 },
      id,
    );
    expect(r).toMatchObject({
      ok: true,
      value: { host: '192.168.1.50', port: 9100, paperWidth: 58, cut: true },
    });
  });

  it('fills the form from a discovered port', () => {
    const serial = withPort(emptyForm('serial_printer'), {
      kind: 'serial',
      path: '/dev/ttyS0',
      manufacturer: null,
      vendorId: null,
      productId: null,
    });
    expect(serial).toMatchObject({ kind: 'serial_printer', path: '/dev/ttyS0' });
    const hid = withPort(emptyForm('serial_scanner'), {
      kind: 'hid_pos',
      vendorId: 0x0c2e,
      productId: 0x0b61,
      product: 'Xenon 1900',
      serialNumber: 'A1',
    });
    expect(hid).toMatchObject({
      kind: 'hid_scanner',
      vendorId: '0C2E',
      productId: '0B61',
      serialNumber: 'A1',
      name: 'Xenon 1900',
    });
    expect(
      withPort(emptyForm('tcp_printer'), { kind: 'usb_printer', path: '/dev/usb/lp1' }),
    ).toMatchObject({
      kind: 'usb_printer',
      path: '/dev/usb/lp1',
      statusQuery: false,
    });
  });

  it('keeps the name but not a serial path when switching to a USB printer', () => {
    const form = withKind(
      { ...emptyForm('serial_scanner'), name: 'A', path: '/dev/ttyUSB0' },
      'usb_printer',
    );
    expect(form).toMatchObject({ name: 'A', path: '/dev/usb/lp0', statusQuery: false });
  });

  it('gives a new device the first free id of its role', () => {
    expect(newDeviceId('tcp_printer', ['printer-1', 'scanner-2'])).toBe('printer-2');
    expect(newDeviceId('hid_scanner', ['printer-1', 'scanner-2'])).toBe('scanner-1');
  });
});
