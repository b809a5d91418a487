/**
 * `npm run bench -- ops`: an online backup of a SQLite store holding
 * 1,000,000 redemptions while redemptions keep arriving.
 *
 * 1. A fresh data dir: the server (its own process, its own migrations, the
 *    demo chain) pairs a till and redeems one code, whose rows are the template.
 * 2. With the server stopped, FILL redemptions (their used codes and feed
 *    entries) and LOAD_CODES fresh codes are written straight into the file by
 *    copying the template rows in one INSERT … SELECT each: seconds, not the
 *    hours the same through HTTP would take.
 * 3. The server again, with a backup folder. One continuous load of fresh-code
 *    redemptions at CONNECTIONS clients: after a warm-up, a BASE_S window
 *    without a backup, then POST /v1/manager/backups (copy and verification,
 *    server/ops/backup.ts) while the same load goes on.
 *
 * Prints ops.backup_1m.seconds (the backup request, start to verified answer)
 * and ops.redeem_during_backup.ratio (redemptions/s during ÷ before).
 * Targets: < 30 s and ≥ 0.7. The load average is printed beside them: on a
 * shared 2-core machine other work moves both.
 *
 * Every answer is checked: a backup that does not verify, answers that are
 * not acceptances or transport errors make the bench exit non-zero.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { SQLITE_FILE } from '../server/db/connect';
import { fill, FILL, LOAD_CODES } from './ops-fill';
import { measureBackup } from './ops-measure';
import { prepareChain, problems, type Till } from './server-load';
import { json, startServerProcess } from './server-process';

interface Demo {
  managers: { username: string; password: string }[];
}

async function main(): Promise<void> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-bench-ops-'));
  const backupDir = join(dataDir, 'backups');
  try {
    let server = await startServerProcess(dataDir);
    let till: Till;
    try {
      till = await prepareChain(server, dataDir, { T: 2 });
      await json(`${server.url}/v1/redemptions`, {
        token: till.token,
        body: {
          id: uuidv7(),
          code: 'T-0000000',
          storeId: till.storeId,
          terminalId: till.terminalId,
          at: new Date().toISOString(),
          cart: null,
          offline: null,
        },
      });
    } finally {
      await server.stop();
    }

    console.error(`# filling ${FILL} redemptions and ${LOAD_CODES} fresh codes directly`);
    const fillStarted = performance.now();
    await fill(dataDir, 'T-0000000', 'T-0000001');
    const bytes = statSync(join(dataDir, SQLITE_FILE)).size;
    console.error(
      `# filled in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s; store ${(bytes / 1_048_576).toFixed(0)} MB`,
    );

    server = await startServerProcess(dataDir, undefined, [
      '--backup-dir',
      backupDir,
      '--backup-every-hours',
      '0',
    ]);
    try {
      const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as Demo;
      const session = await json<{ token: string }>(`${server.url}/v1/sessions`, {
        body: { kind: 'password', ...demo.managers[0] },
      });
      await measureBackup({ ...till, url: server.url }, session.token);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.error(`# ops bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`# FAILED ${p}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
