import { describe, expect, it } from 'vitest';
import { DEVICE_ERROR_CODES } from '../../../core/devices/errors';
import { DeviceId } from '../../../core/devices/ids';
import type { DeviceStatus, PrinterStatus } from '../../../core/devices/status';
import { STRINGS, translator } from '../../i18n/strings';
import { problemWords, statusWords } from './device-words';

const zh = translator('zh-CN');
const en = translator('en');
const printer = (
  state: DeviceStatus['state'],
  p: Partial<PrinterStatus> | null = null,
): DeviceStatus => ({
  deviceId: DeviceId.parse('printer-1'),
  name: 'LAN',
  kind: 'tcp_printer',
  state,
  printer:
    p === null
      ? null
      : { online: true, coverOpen: false, paperEnd: false, paperNearEnd: false, ...p },
  at: '2026-11-22T05:00:00.000Z',
});

describe('device status in words and colour', () => {
  it('is green "online" when nothing is wrong', () => {
    expect(statusWords(printer({ state: 'online' }, {}), zh, 'Asia/Shanghai')).toEqual({
      label: '在线',
      tone: 'ok',
      notes: [],
    });
  });

  it('puts paper out first, in red, with the cover as a note', () => {
    const w = statusWords(
      printer({ state: 'online' }, { online: false, paperEnd: true, coverOpen: true }),
      en,
      'UTC',
    );
    expect(w.label).toBe('Paper out');
    expect(w.tone).toBe('bad');
    expect(w.notes).toEqual([{ text: 'Cover open', tone: 'bad' }]);
  });

  it('warns in amber when paper is near its end', () => {
    expect(
      statusWords(printer({ state: 'online' }, { paperNearEnd: true }), zh, 'UTC'),
    ).toMatchObject({ label: '纸将用完', tone: 'warn' });
  });

  it('tells reconnecting from offline, with the reason and the retry time', () => {
    const reconnecting = statusWords(
      printer({ state: 'offline', reason: 'cable unplugged', retryAt: '2026-11-22T05:00:05.000Z' }),
      zh,
      'Asia/Shanghai',
    );
    expect(reconnecting).toEqual({
      label: '已断开，正在重连',
      tone: 'warn',
      notes: [
        { text: 'cable unplugged', tone: 'bad' },
        { text: '13:00:05 重试', tone: 'warn' },
      ],
    });
    expect(
      statusWords(printer({ state: 'offline', reason: 'gone', retryAt: null }), en, 'UTC'),
    ).toMatchObject({ label: 'Offline', tone: 'bad' });
  });

  it('ignores a stale paper report once the printer is gone', () => {
    const w = statusWords(
      printer({ state: 'offline', reason: 'x', retryAt: null }, { paperEnd: true }),
      en,
      'UTC',
    );
    expect(w.notes.map((n) => n.text)).not.toContain('Paper out');
  });

  it('has advice for every device error code in both languages', () => {
    for (const code of [...DEVICE_ERROR_CODES, 'JOB_FAILED' as const]) {
      const problem = {
        id: 1,
        action: 'testPrint' as const,
        code,
        message: 'm',
        deviceId: null,
        at: '',
        count: 1,
      };
      for (const t of [zh, en]) {
        const words = problemWords(problem, t);
        expect(words.advice).not.toMatch(/^err_/);
        expect(words.advice.length).toBeGreaterThan(8);
      }
    }
  });

  it('has the same keys in zh-CN and English', () => {
    expect(Object.keys(STRINGS.en).sort()).toEqual(Object.keys(STRINGS['zh-CN']).sort());
  });
});
