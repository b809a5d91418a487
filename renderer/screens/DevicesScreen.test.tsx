import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { DeviceId } from '../../core/devices/ids';
import { createDeviceClient } from '../devices/deviceClient';
import { createDevicesStore, type DevicesState } from '../state/devices-store';
import { LogsView } from '../components/devices/LogsPanel';
import { logReader } from '../devices/log-reader';
import { translator } from '../i18n/strings';
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

  it('says plainly in a browser that the logs are in the desktop app', () => {
    const zh = render({ host: 'ready' });
    expect(zh).toContain('日志');
    expect(zh).toContain('日志只在桌面版中提供');
    expect(zh).not.toContain('data-testid="logs-export"');
    expect(render({ host: 'ready' }, 'en')).toContain('Logs are available in the desktop app.');
  });

  it('reads the logs through the bridge when the desktop app gave one', () => {
    const logs = logReader({ readLogs: () => new Promise(() => undefined) });
    const html = renderToStaticMarkup(
      <DevicesScreen
        client={client}
        store={storeWith({ host: 'ready' })}
        locale="zh-CN"
        logs={logs}
      />,
    );
    expect(html).toContain('data-state="loading"');
    expect(html).toContain('正在读取日志');
  });

  it('shows the log lines newest on top with their level, and offers the export', () => {
    const line = (level: number, msg: string, time: string) =>
      JSON.stringify({ level, time, process: 'main', msg });
    const html = renderToStaticMarkup(
      <LogsView
        state={{
          kind: 'loaded',
          tails: [
            {
              file: 'tillpoint.2.log',
              size: 200,
              modifiedAt: '2026-12-03T07:31:02.000Z',
              text: `${line(30, 'sync server', '2026-12-03T07:31:01.000Z')}\n${line(40, 'device call refused', '2026-12-03T07:31:02.000Z')}\n`,
              truncated: false,
            },
          ],
        }}
        t={translator('en')}
        timeZone="Asia/Shanghai"
        onRefresh={() => undefined}
        onExport={() => undefined}
      />,
    );
    expect(html).toContain('Log files: 1; recent lines: 2, newest on top.');
    expect(html.indexOf('device call refused')).toBeLessThan(html.indexOf('sync server'));
    expect(html).toContain('2026-12-03 15:31:02');
    expect(html).toContain('data-level="WARN"');
    expect(html).toMatch(/data-testid="logs-export"[^>]*>Export</);
  });
});
