import { describe, expect, it } from 'vitest';
import type { LogTail } from '../../../core/desktop/logs';
import { logsExportText, newestLinesFirst, readableLogLine } from './log-lines';

const tail = (file: string, lines: readonly string[], truncated = false): LogTail => ({
  file,
  size: 1234,
  modifiedAt: '2026-12-03T07:00:00.000Z',
  text: lines.map((l) => `${l}\n`).join(''),
  truncated,
});
const line = (i: number, level = 30): string =>
  JSON.stringify({
    level,
    time: '2026-12-03T07:00:0' + String(i) + '.000Z',
    process: 'main',
    msg: `line ${i}`,
  });

describe('log lines for people', () => {
  it('shows local time, level, process and message, then the other fields', () => {
    const raw = JSON.stringify({
      level: 40,
      time: '2026-12-03T07:31:02.000Z',
      process: 'main',
      pid: 42,
      hostname: 'till-1',
      verdict: 'not-cashier',
      msg: 'device call refused',
    });
    expect(readableLogLine(raw, 'Asia/Shanghai')).toEqual({
      time: '2026-12-03 15:31:02',
      level: 'WARN',
      process: 'main',
      text: 'device call refused {"verdict":"not-cashier"}',
      tone: 'warn',
    });
    expect(readableLogLine(line(1, 50), 'Asia/Shanghai').tone).toBe('bad');
  });

  it('shows a server output line main forwarded as its text', () => {
    const raw = JSON.stringify({ level: 30, process: 'server', line: 'listening on :43117' });
    expect(readableLogLine(raw, 'Asia/Shanghai')).toMatchObject({
      process: 'server',
      text: 'listening on :43117',
    });
  });

  it('shows a line that is not pino JSON as it is', () => {
    expect(readableLogLine('Segmentation fault', 'Asia/Shanghai')).toMatchObject({
      text: 'Segmentation fault',
      level: '',
    });
  });

  it('puts the latest event on top: newest file first, each file bottom up', () => {
    const tails = [
      tail('tillpoint.2.log', [line(3), line(4)]),
      tail('tillpoint.1.log', [line(1), line(2)]),
    ];
    expect(newestLinesFirst(tails)).toEqual([line(4), line(3), line(2), line(1)]);
  });

  it('exports the files oldest first, raw, each under its header', () => {
    const tails = [
      tail('tillpoint.2.log', [line(3)]),
      tail('tillpoint.1.log', [line(1), line(2)], true),
    ];
    expect(logsExportText(tails, '2026-12-03T08:00:00.000Z')).toBe(
      [
        '# Tillpoint logs, exported 2026-12-03T08:00:00.000Z',
        '==> tillpoint.1.log (1234 bytes, last written 2026-12-03T07:00:00.000Z, earlier lines left out) <==',
        `${line(1)}\n${line(2)}\n`,
        '==> tillpoint.2.log (1234 bytes, last written 2026-12-03T07:00:00.000Z) <==',
        `${line(3)}\n`,
      ].join('\n'),
    );
  });
});
