import { appendFile, mkdtemp, readdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logFileNumber, readLogTails } from './log-files';
import { openLog } from './logs';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'tillpoint-log-tails-'));
  dirs.push(dir);
  return dir;
};

describe('the tails of the log files', () => {
  it('reads the files pino-roll wrote, newest first, and nothing else in the directory', async () => {
    const dir = await tempDir();
    const { log, close } = await openLog(dir, { size: '1k', keep: 5 });
    let i = 0;
    // Rolls happen between writes (electron/logs.test.ts): write until the third file started.
    await vi.waitFor(
      async () => {
        for (let n = 0; n < 5; n++)
          log.info({ i: i++ }, 'a line of about a hundred bytes, to fill up');
        expect(await readdir(dir)).toContain('tillpoint.3.log');
      },
      { timeout: 20_000, interval: 10 },
    );
    const last = i - 1;
    await close();
    await writeFile(join(dir, 'notes.txt'), 'not a log\n');
    await writeFile(join(dir, 'tillpoint.log.bak'), 'not one either\n');

    const tails = await readLogTails(dir, 1_000_000);
    const numbers = tails.map((t) => logFileNumber(t.file));
    expect(numbers.length).toBeGreaterThan(1);
    expect(numbers).toEqual([...numbers].sort((a, b) => (b ?? 0) - (a ?? 0)));
    // Every line is whole JSON, and the newest file holds the last line written.
    const lines = tails.flatMap((t) => t.text.trim().split('\n'));
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toContain(0);
    expect(tails[0]?.text.trim().split('\n').at(-1)).toContain(`"i":${last}`);
    // Newest first: the last file read holds the first line written.
    expect(tails.at(-1)?.text).toContain('"i":0,');
    expect(tails.every((t) => !t.truncated && t.size === Buffer.byteLength(t.text))).toBe(true);
  });

  it('orders by roll number, not by name: tillpoint.10.log is newer than tillpoint.9.log', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'tillpoint.9.log'), 'nine\n');
    await writeFile(join(dir, 'tillpoint.10.log'), 'ten\n');
    // An older file touched later is still older: pino-roll numbers files in order.
    await utimes(join(dir, 'tillpoint.9.log'), new Date(), new Date(Date.now() + 60_000));
    expect((await readLogTails(dir, 100)).map((t) => t.file)).toEqual([
      'tillpoint.10.log',
      'tillpoint.9.log',
    ]);
  });

  it('cuts at a line boundary, keeping Chinese text whole', async () => {
    const dir = await tempDir();
    const lines = Array.from({ length: 50 }, (_, i) => `{"i":${i},"msg":"打印机缺纸 ${i}"}`);
    await writeFile(join(dir, 'tillpoint.1.log'), `${lines.join('\n')}\n`);
    for (const budget of [1, 10, 37, 100, 333, 1000]) {
      const [tail] = await readLogTails(dir, budget);
      expect(tail?.truncated).toBe(true);
      expect(Buffer.byteLength(tail?.text ?? '')).toBeLessThanOrEqual(budget);
      const shown = (tail?.text ?? '').split('\n').filter((l) => l !== '');
      // The last lines, each one whole.
      expect(shown).toEqual(lines.slice(lines.length - shown.length));
    }
    // A window that starts right after a newline keeps its first line.
    const lastTwo = `${lines.slice(-2).join('\n')}\n`;
    const [exact] = await readLogTails(dir, Buffer.byteLength(lastTwo));
    expect(exact?.text).toBe(lastTwo);
  });

  it('reads only the end of a huge file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tillpoint.1.log');
    // 2 GiB (a sparse file), then one line: reading it all would take seconds and the memory.
    await writeFile(path, '');
    await truncate(path, 2 * 1024 ** 3);
    await appendFile(path, '\n{"msg":"the last line"}\n');
    const started = performance.now();
    const [tail] = await readLogTails(dir, 4096);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(tail?.size).toBe(2 * 1024 ** 3 + 25);
    expect(tail?.text).toBe('{"msg":"the last line"}\n');
    expect(tail?.truncated).toBe(true);
  });

  it('has no logs when the directory does not exist yet', async () => {
    expect(await readLogTails(join(await tempDir(), 'logs'), 100)).toEqual([]);
  });
});
