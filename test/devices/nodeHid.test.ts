import HID from 'node-hid';
import { describe, expect, it } from 'vitest';
import { discoverPorts } from '../../native/manager/discover';

describe('node-hid native module', () => {
  it('loads and enumerates HID devices without crashing (none may be attached)', async () => {
    const devices = await HID.devicesAsync();
    expect(Array.isArray(devices)).toBe(true);
    expect(typeof HID.getHidapiVersion()).toBe('string');
  });

  it('lets the settings screen discover ports on this machine', async () => {
    const ports = await discoverPorts();
    for (const p of ports) expect(['serial', 'hid_pos', 'usb_printer']).toContain(p.kind);
  });
});
