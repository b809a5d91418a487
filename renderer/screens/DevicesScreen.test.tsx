import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { DeviceId } from '../../core/devices/ids';
import { createDeviceClient } from '../devices/deviceClient';
import { createDevicesStore, type DevicesState } from '../state/devices-store';
import { DevicesScreen } from './DevicesScreen';

const client = createDeviceClient({});
const printerId = DeviceId.parse('printer-lan');

/** A store already holding what the device host reported (server rendering reads the initial state). */
const storeWith = (over: Partial<DevicesState>) =>
  createStore<DevicesState>()(() => ({ ...createDevicesStore(client).getState(), ...over }));

const render = (over: Partial<DevicesState>, locale: 'zh-CN' | 'en' = 'zh-CN') =>
  renderToStaticMarkup(<DevicesScreen client={client} store={storeWith(over)} locale={locale} />);

describe('devices screen', () => {
  it('shows each device with its status in words, and the test page beside the printer', () => {
    const html = render({
      host: 'ready',
      defaultPrinterId: printerId,
      devices: [
        {
          deviceId: printerId,
          name: '前台打印机',
          kind: 'tcp_printer',
          state: { state: 'online' },
          printer: { online: false, coverOpen: false, paperEnd: true, paperNearEnd: false },
          at: '2026-11-22T05:00:00.000Z',
        },
        {
          deviceId: DeviceId.parse('scanner-1'),
          name: '前台扫码枪',
          kind: 'serial_scanner',
          state: {
            state: 'offline',
            reason: 'cable unplugged',
            retryAt: '2026-11-22T05:00:05.000Z',
          },
          printer: null,
          at: '2026-11-22T05:00:00.000Z',
        },
      ],
    });
    expect(html).toContain('缺纸');
    expect(html).toContain('默认打印机');
    expect(html).toContain('已断开，正在重连');
    expect(html).toContain('cable unplugged');
    expect(html).toContain('测试打印：前台打印机');
    expect(html).toContain('data-qr="TILLPOINT-TEST"');
  });

  it('shows every problem with what to do and the service message', () => {
    const html = render(
      {
        host: 'ready',
        problems: [
          {
            id: 1,
            action: 'testPrint',
            code: 'COVER_OPEN',
            message: 'LAN: cover open',
            deviceId: printerId,
            at: '2026-11-22T05:00:00.000Z',
            count: 2,
          },
        ],
      },
      'en',
    );
    expect(html).toContain('The printer&#x27;s cover is open. Close it, then print again.');
    expect(html).toContain('While: printing a test page');
    expect(html).toContain('(×2)');
    expect(html).toContain('LAN: cover open');
  });

  it('shows the last scan with its symbology and source', () => {
    const html = render({
      host: 'ready',
      lastScan: {
        value: '6901234567892',
        aim: ']E0',
        symbology: 'ean13',
        source: { kind: 'serial', deviceId: null },
        at: '2026-11-22T05:05:07.000Z',
      },
    });
    expect(html).toContain('6901234567892');
    expect(html).toContain('ean13');
    expect(html).toContain('串口扫码枪');
    expect(html).toContain('2026-11-22 13:05:07');
  });

  it('does not claim there are no devices while the host has not answered', () => {
    expect(render({ host: 'unavailable' })).toContain('连上设备服务后才能看到已配置的设备');
    expect(render({ host: 'ready' })).toContain('还没有配置任何设备');
  });
});
