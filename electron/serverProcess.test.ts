import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFork, serverArguments, startServerBundle, type ForkServer } from './serverProcess';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tillpoint-launch-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const script = (source: string): string => {
  const path = join(tempDir(), 'cli.js');
  writeFileSync(path, source);
  return path;
};

describe('starting the bundled server', () => {
  it('runs on loopback port 0 in the data dir, on SQLite whatever the shell says', () => {
    const env = { PATH: '/usr/bin', DATABASE_URL: 'postgres://chain/db' };
    const launch = { bundlePath: '/x/cli.js', dataDir: '/home/c/.config/Tillpoint/server', env };
    const { args, env: childEnv } = serverArguments(launch);
    expect(args).toEqual([
      '--data-dir',
      '/home/c/.config/Tillpoint/server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
    ]);
    // No ELECTRON_RUN_AS_NODE: the app forks a utility process, so its RunAsNode fuse is off.
    expect(childEnv).toEqual({ PATH: '/usr/bin', DATABASE_URL: '' });
    expect(env.DATABASE_URL).toBe('postgres://chain/db');
    expect(serverArguments({ ...launch, extraArgs: ['--demo'] }).args.at(-1)).toBe('--demo');
  });

  it('forks the bundle path with those arguments through the given fork', async () => {
    const seen: { modulePath: string; args: readonly string[] }[] = [];
    const node = nodeFork();
    const fork: ForkServer = (modulePath, args, env) => {
      seen.push({ modulePath, args });
      return node(modulePath, args, env);
    };
    const bundlePath = script(
      "process.on('SIGTERM', () => process.exit(0));\nsetInterval(() => {}, 1000);\nprocess.stdout.write('booting\\nTILLPOINT_SERVER_LISTENING http://127.0.0.1:45678\\n');\n",
    );
    const dataDir = tempDir();
    const server = await startServerBundle({ fork, bundlePath, dataDir, env: process.env });
    expect(server.url).toBe('http://127.0.0.1:45678');
    expect(seen).toEqual([
      { modulePath: bundlePath, args: serverArguments({ bundlePath, dataDir, env: {} }).args },
    ]);
    expect(server.exitCode()).toBeUndefined();
    await server.stop();
    expect(server.exitCode()).toBe(0);
  });

  it('names the missing bundle instead of starting nothing useful', async () => {
    const bundlePath = join(tempDir(), 'dist', 'server', 'cli.js');
    await expect(
      startServerBundle({ fork: nodeFork(), bundlePath, dataDir: tempDir(), env: process.env }),
    ).rejects.toThrow(`The sync server bundle is missing: ${bundlePath}.`);
  });

  it('quotes the end of stderr when the server exits before it is ready', async () => {
    const bundlePath = script(
      "process.stderr.write('opening database\\ncannot open database: disk full\\n');\nprocess.exit(3);\n",
    );
    await expect(
      startServerBundle({ fork: nodeFork(), bundlePath, dataDir: tempDir(), env: process.env }),
    ).rejects.toThrow(
      /exited before it was ready \(exit code 3\); the end of its stderr:\nopening database\ncannot open database: disk full$/,
    );
  });

  it('refuses a ready line without a usable address', async () => {
    const bundlePath = script(
      "process.stdout.write('TILLPOINT_SERVER_LISTENING not-a-url\\n');\nsetInterval(() => {}, 1000);\n",
    );
    await expect(
      startServerBundle({ fork: nodeFork(), bundlePath, dataDir: tempDir(), env: process.env }),
    ).rejects.toThrow('The sync server reported an unusable address: "not-a-url".');
  });

  it('gives up on a server that never reports ready', async () => {
    const bundlePath = script('setInterval(() => {}, 1000);\n');
    await expect(
      startServerBundle(
        { fork: nodeFork(), bundlePath, dataDir: tempDir(), env: process.env },
        { timeoutMs: 200 },
      ),
    ).rejects.toThrow('The sync server did not report ready within 0.2 s.');
  });
});
