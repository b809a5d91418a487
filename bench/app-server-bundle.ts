/**
 * app.server_bundle_start.ms: the desktop app's own server, bundled (dist/server/cli.js), from
 * spawn to its ready line on a fresh data dir (migrations included), median of 5 runs. Started
 * through electron/serverProcess.ts as main starts it, with plain Node forking it in place of
 * Electron's utilityProcess.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFork, startServerBundle } from '../electron/serverProcess';
import { buildServerBundle } from '../scripts/server-bundle';
import { quantile, report } from './report';

export async function benchServerBundleStart(runs = 5): Promise<void> {
  const bundlePath = await buildServerBundle();
  // The bench itself runs under tsx; the bundle must not.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  delete env['NODE_OPTIONS'];
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), 'tillpoint-bench-bundle-'));
    try {
      const started = performance.now();
      const server = await startServerBundle({
        fork: nodeFork(),
        bundlePath,
        dataDir,
        env,
      });
      samples.push(performance.now() - started);
      await server.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  process.stderr.write(`server bundle start, ms: ${samples.map((s) => s.toFixed(0)).join(' ')}\n`);
  report('app.server_bundle_start.ms', quantile(samples, 0.5), 'ms');
}
