import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeFork, startServerBundle, type BundledServer } from '../../electron/serverProcess';
import { buildServerBundle } from '../../scripts/server-bundle';
import { pairDirectly } from '../helpers/app-server-api';
import { readDemo } from '../helpers/app-server-process';

const REPO = join(import.meta.dirname, '..', '..');
/** Inside the repository, so the bundle's external packages resolve from its node_modules. */
const OUT_DIR = join(REPO, 'dist', `test-server-bundle-${process.pid}`);

/** The environment of a user's shell, without anything that would load tsx into the child. */
const plainEnv: NodeJS.ProcessEnv = { ...process.env };
delete plainEnv['NODE_OPTIONS'];

let bundlePath = '';
const cleanups: (() => Promise<void>)[] = [];
const freshDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'tillpoint-bundle-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

beforeAll(async () => {
  bundlePath = await buildServerBundle(OUT_DIR);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => rm(OUT_DIR, { recursive: true, force: true }));

describe('the bundled sync server', () => {
  it('starts as plain JS on a fresh data dir, serves a demo pairing, and exits 0 on SIGTERM', async () => {
    const dataDir = await freshDir();
    const server: BundledServer = await startServerBundle({
      fork: nodeFork(),
      bundlePath,
      dataDir,
      env: { ...plainEnv, LOG_LEVEL: 'warn' },
      extraArgs: ['--demo'],
    });
    cleanups.push(() => server.stop());

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);

    const demo = await readDemo(dataDir);
    const code = demo.pairingCodes[0];
    if (!code) throw new Error('the demo wrote no pairing code');
    const paired = await pairDirectly(server.url, code.code);
    expect(paired.store.id).toBe(code.storeId);
    expect(paired.token).not.toBe('');

    await server.stop();
    expect(server.exitCode()).toBe(0);
  });

  it('says why, from its stderr, when it cannot open its data dir', async () => {
    const notADir = join(await freshDir(), 'file');
    await writeFile(notADir, 'not a directory');
    await expect(
      startServerBundle({
        fork: nodeFork(),
        bundlePath,
        dataDir: notADir,
        env: { ...plainEnv, LOG_LEVEL: 'warn' },
      }),
    ).rejects.toThrow(/exit code 1\); the end of its stderr:\n.*tillpoint server failed to start/s);
  });
});
