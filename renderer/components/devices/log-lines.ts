import type { LogTail } from '../../../core/desktop/logs';
import { formatLocalTime } from '../../../core/receipt/layout';

/** pino's level numbers (electron/logs.ts writes pino JSON lines). */
const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

export interface LogLine {
  /** Local time, or '' when the line carries none. */
  readonly time: string;
  readonly level: string;
  /** Which process wrote it: main, server, … */
  readonly process: string;
  /** The message and whatever else the line says, compact. */
  readonly text: string;
  readonly tone: 'bad' | 'warn' | 'idle';
}

const HIDDEN = new Set(['time', 'level', 'process', 'msg', 'pid', 'hostname']);

/** One log line for people: time, level, process, message, then the remaining fields as JSON. */
export function readableLogLine(raw: string, timeZone: string): LogLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { time: '', level: '', process: '', text: raw, tone: 'idle' };
  const line = value as Record<string, unknown>;
  const level = typeof line['level'] === 'number' ? line['level'] : 30;
  const time =
    typeof line['time'] === 'string' && !Number.isNaN(Date.parse(line['time']))
      ? formatLocalTime(line['time'], timeZone)
      : '';
  // Main forwards the bundled server's output lines as { line } (electron/main.ts): show it as text.
  const forwarded = typeof line['msg'] !== 'string' && typeof line['line'] === 'string';
  const rest = Object.fromEntries(
    Object.entries(line).filter(([k]) => !HIDDEN.has(k) && !(forwarded && k === 'line')),
  );
  const msg = typeof line['msg'] === 'string' ? line['msg'] : forwarded ? String(line['line']) : '';
  const extra = Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
  return {
    time,
    level: LEVELS[level] ?? String(level),
    process: typeof line['process'] === 'string' ? line['process'] : '',
    text: [msg, extra].filter((s) => s !== '').join(' '),
    tone: level >= 50 ? 'bad' : level >= 40 ? 'warn' : 'idle',
  };
}

/** The lines of the tails newest first, as the panel shows them: the latest event on top. */
export function newestLinesFirst(tails: readonly LogTail[]): string[] {
  return tails.flatMap((t) =>
    t.text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .reverse(),
  );
}

/**
 * The export file: the files oldest first, each under a `tail`-style header, their lines as
 * written (raw JSON, which support tools read), so the file reads top to bottom in time order.
 */
export function logsExportText(tails: readonly LogTail[], exportedAt: string): string {
  const parts = [`# Tillpoint logs, exported ${exportedAt}`];
  for (const tail of [...tails].reverse()) {
    const cut = tail.truncated ? ', earlier lines left out' : '';
    parts.push(
      `==> ${tail.file} (${tail.size} bytes, last written ${tail.modifiedAt}${cut}) <==`,
      tail.text.endsWith('\n') || tail.text === '' ? tail.text : `${tail.text}\n`,
    );
  }
  return parts.join('\n');
}
