import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogTail } from '../core/desktop/logs';

/** The log files' base name and extension: pino-roll writes tillpoint.1.log, tillpoint.2.log, … */
export const LOG_NAME = 'tillpoint';
export const LOG_EXTENSION = '.log';
const LOG_FILE = /^tillpoint\.(\d+)\.log$/;

/** The roll number of a log file's name (higher is newer), or null for any other file. */
export function logFileNumber(name: string): number | null {
  const match = LOG_FILE.exec(name);
  return match === null ? null : Number(match[1]);
}

/**
 * The last `maxBytes` of each log file in `dir`, newest first. Reads only that much of each
 * file (they grow to megabytes), and starts at a line boundary: the partial first line of the
 * window is dropped, so every line shown is whole JSON. A missing directory has no logs; a
 * file rolled away between listing and reading is skipped.
 */
export async function readLogTails(dir: string, maxBytes: number): Promise<LogTail[]> {
  if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new RangeError('maxBytes must be > 0');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const files = names
    .map((name) => ({ name, number: logFileNumber(name) }))
    .filter((f): f is { name: string; number: number } => f.number !== null)
    .sort((a, b) => b.number - a.number);
  const tails: LogTail[] = [];
  for (const { name } of files) {
    const tail = await readTail(join(dir, name), maxBytes);
    if (tail !== null) tails.push({ file: name, ...tail });
  }
  return tails;
}

async function readTail(path: string, maxBytes: number): Promise<Omit<LogTail, 'file'> | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  try {
    const { size, mtime } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    // One byte more before the window tells whether it starts a line (after a newline).
    const from = Math.max(0, start - 1);
    const buffer = Buffer.alloc(size - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    let bytes = buffer.subarray(0, bytesRead);
    let truncated = false;
    if (start > 0) {
      truncated = true;
      // A newline byte never occurs inside a UTF-8 sequence, so cutting after one keeps text whole.
      const newline = bytes.indexOf(0x0a);
      bytes = newline === -1 ? bytes.subarray(bytes.length) : bytes.subarray(newline + 1);
    }
    return { size, modifiedAt: mtime.toISOString(), text: bytes.toString('utf8'), truncated };
  } finally {
    await handle.close();
  }
}

const isNotFound = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
