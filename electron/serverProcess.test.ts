import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serverCommand, startServerBundle } from './serverProcess';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tillpoint-launch-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('starting the bundled server', () => {
  it('runs the bundle with the given binary as Node, on loopback port 0, in the data dir', () => {
    const env = { PATH: '/usr/bin', DATABASE_URL: 'postgres://chain/db' };
    const launch = {
      execPath: '/opt/Tillpoint/tillpoint',
      bundlePath: '/opt/Tillpoint/resources/app.asar/dist/server/cli.js',
      dataDir: '/home/c/.config/Tillpoint/server',
      env,
    };
    const { command, env: childEnv } = serverCommand(launch);
    expect(command).toEqual([
      '/opt/Tillpoint/tillpoint',
      '/opt/Tillpoint/resources/app.asar/dist/server/cli.js',
      '--data-dir',
      '/home/c/.config/Tillpoint/server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
    ]);
    // Single-store mode is SQLite even if the shell points DATABASE_URL at a chain database.
    expect(childEnv).toEqual({ PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1', DATABASE_URL: '' });
    expect(env.DATABASE_URL).toBe('postgres://chain/db');
    expect(serverCommand({ ...launch, extraArgs: ['--demo'] }).command.at(-1)).toBe('--demo');
  });

  it('names the missing bundle instead of spawning nothing useful', async () => {
    const bundlePath = join(tempDir(), 'dist', 'server', 'cli.js');
    await expect(
      startServerBundle({
        execPath: process.execPath,
        bundlePath,
        dataDir: tempDir(),
        env: process.env,
      }),
    ).rejects.toThrow(`The sync server bundle is missing: ${bundlePath}.`);
  });

  it('quotes the end of stderr when the server exits before it is ready', async () => {
    const bundlePath = join(tempDir(), 'cli.js');
    writeFileSync(
      bundlePath,
      "process.stderr.write('opening database\\ncannot open database: disk full\\n');\nprocess.exit(3);\n",
    );
    await expect(
      startServerBundle({
        execPath: process.execPath,
        bundlePath,
        dataDir: tempDir(),
        env: process.env,
      }),
    ).rejects.toThrow(
      /exited before it was ready \(exit code 3\); the end of its stderr:\nopening database\ncannot open database: disk full$/,
    );
  });
});
