import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openLog } from './logs';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the log in userData', () => {
  it('writes JSON lines to tillpoint.N.log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tillpoint-logs-'));
    dirs.push(dir);
    const { log, close } = await openLog(join(dir, 'logs'));
    log.child({ process: 'server' }).info({ line: 'listening' });
    log.error('device call refused');
    await close();
    const [file] = await readdir(join(dir, 'logs'));
    expect(file).toBe('tillpoint.1.log');
    const lines = (await readFile(join(dir, 'logs', file ?? ''), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { process: 'server', line: 'listening' },
      { process: 'main', msg: 'device call refused', level: 50 },
    ]);
  });

  it('rolls to a new file by size and keeps only the newest ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tillpoint-logs-'));
    dirs.push(dir);
    const { log, close } = await openLog(dir, { size: '1k', keep: 2 });
    let i = 0;
    // Rolls happen between writes: write until the fourth file has started.
    await vi.waitFor(
      async () => {
        for (let n = 0; n < 5; n++)
          log.info({ i: i++ }, 'a line of about a hundred bytes, to fill up the file');
        expect(await readdir(dir)).toContain('tillpoint.4.log');
      },
      { timeout: 20_000, interval: 10 },
    );
    // The file in use and `keep` older ones; the first ones were deleted.
    await vi.waitFor(async () => expect((await readdir(dir)).length).toBe(3), { timeout: 20_000 });
    await close();
    expect(await readdir(dir)).not.toContain('tillpoint.1.log');
  });
});
