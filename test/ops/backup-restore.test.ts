import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BackupReport,
  BatchPushResponse,
  PairResponse,
  RedemptionRequest,
  RedemptionResponse,
  Session,
} from '../../core/protocol';
import { SQLITE_FILE } from '../../server/db/connect';
import type { DemoFile } from '../../server/seed/demo';
import { call } from '../helpers/server-client';
import { runServerCommand, spawnServer, type ServerProcess } from '../helpers/server-process';

const dirs: string[] = [];
const fresh = (what: string) => {
  const dir = mkdtempSync(join(tmpdir(), `tillpoint-${what}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Till {
  readonly token: string;
  readonly terminalId: string;
  readonly storeId: string;
}

async function startDemo(dataDir: string, backupDir: string): Promise<ServerProcess> {
  return spawnServer([
    '--demo',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--backup-dir',
    backupDir,
    '--backup-every-hours',
    '0',
  ]);
}

async function pair(server: ServerProcess, demo: DemoFile): Promise<Till> {
  const code = demo.pairingCodes[0];
  const r = await call<PairResponse>(server.url, 'POST', '/v1/terminals/pair', {
    body: { pairingCode: code?.code, name: 'till 1' },
  });
  expect(r.status).toBe(200);
  return { token: r.json.token, terminalId: r.json.terminalId, storeId: r.json.store.id };
}

async function chainManager(server: ServerProcess, demo: DemoFile): Promise<string> {
  const m = demo.managers[0];
  const r = await call<Session>(server.url, 'POST', '/v1/sessions', {
    body: { kind: 'password', username: m?.username, password: m?.password },
  });
  expect(r.status).toBe(200);
  return r.json.token;
}

const request = (till: Till, code: string): RedemptionRequest => ({
  id: randomUUID() as RedemptionRequest['id'],
  code: code as RedemptionRequest['code'],
  storeId: till.storeId as RedemptionRequest['storeId'],
  terminalId: till.terminalId as RedemptionRequest['terminalId'],
  at: new Date().toISOString(),
  cart: null,
  offline: null,
});

const readDemo = (dataDir: string) =>
  JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoFile;

const cashCodes = (demo: DemoFile) => demo.codes['demo-cash'] ?? [];

/**
 * One stopped demo store with a few redemptions and a verified backup of it,
 * made once (a demo start takes seconds); each test gets copies of both.
 */
let original: { readonly file: string; readonly dataDir: string } | null = null;
beforeAll(async () => {
  const dataDir = fresh('data');
  const backupDir = fresh('backups');
  const server = await startDemo(dataDir, backupDir);
  const demo = readDemo(dataDir);
  const till = await pair(server, demo);
  for (const code of cashCodes(demo).slice(0, 3))
    await call(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: request(till, code),
    });
  expect(await server.stop()).toBe(0);
  const run = await runServerCommand(['backup', '--data-dir', dataDir, '--backup-dir', backupDir]);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as BackupReport;
  original = { file: join(backupDir, report.file ?? ''), dataDir };
});

function aBackup(): { file: string; dataDir: string } {
  if (!original) throw new Error('beforeAll did not make the backup');
  const dataDir = fresh('data');
  cpSync(original.dataDir, dataDir, { recursive: true });
  const file = join(fresh('backups'), basename(original.file));
  copyFileSync(original.file, file);
  return { file, dataDir };
}

describe('backups of the SQLite store', { timeout: 120_000 }, () => {
  it('are taken online while redemptions are being written, and verified before they count', async () => {
    const dataDir = fresh('data');
    const backupDir = fresh('backups');
    const server = await startDemo(dataDir, backupDir);
    try {
      const demo = readDemo(dataDir);
      const till = await pair(server, demo);
      const manager = await chainManager(server, demo);
      const codes = [...cashCodes(demo)];
      const answers: string[] = [];
      let writing = true;
      // Four counters redeeming one code after another until the backups are done.
      const counters = Array.from({ length: 4 }, async () => {
        while (writing) {
          const code = codes.pop();
          if (code === undefined) return;
          const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
            token: till.token,
            body: request(till, code),
          });
          answers.push(r.json.outcome.status);
        }
      });
      while (answers.length < 5) await new Promise((r) => setTimeout(r, 10));
      const [fromConsole, fromCli] = await Promise.all([
        call<BackupReport>(server.url, 'POST', '/v1/manager/backups', { token: manager, body: {} }),
        runServerCommand([
          'backup',
          '--data-dir',
          dataDir,
          '--backup-dir',
          backupDir,
          '--backup-keep',
          '5',
        ]),
      ]);
      const atBackup = answers.length;
      writing = false;
      await Promise.all(counters);

      expect(fromConsole.status).toBe(200);
      expect(fromConsole.json.verified).toBe(true);
      expect(fromConsole.json.problems).toEqual([]);
      expect(fromConsole.json.auditEntries).toBe(fromConsole.json.rows['audit_log']);
      expect(fromConsole.json.rows['redemptions']).toBeGreaterThan(0);
      expect(fromConsole.json.rows['redemptions']).toBeLessThanOrEqual(atBackup);
      expect(fromCli.code).toBe(0);
      const cliReport = JSON.parse(fromCli.stdout) as BackupReport;
      expect(cliReport.verified).toBe(true);
      expect(answers.every((a) => a === 'accepted')).toBe(true);
      // Both copies are whole databases of their own: no -wal or -shm, no partial left.
      expect(readdirSync(backupDir).sort()).toEqual([fromConsole.json.file, cliReport.file].sort());
      const copy = new SqliteDatabase(join(backupDir, fromConsole.json.file ?? ''), {
        readonly: true,
      });
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      copy.close();
    } finally {
      await server.stop();
    }
  });

  it('keep only the configured number of verified backups', async () => {
    const { dataDir } = aBackup();
    const backupDir = fresh('backups');
    const removed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await runServerCommand([
        'backup',
        '--data-dir',
        dataDir,
        '--backup-dir',
        backupDir,
        '--backup-keep',
        '2',
      ]);
      removed.push(...(JSON.parse(run.stdout) as BackupReport).removed);
    }
    expect(readdirSync(backupDir)).toHaveLength(2);
    expect(removed).toHaveLength(1);
  });

  it('are refused on PostgreSQL, pointing at pg_dump', async () => {
    const run = await runServerCommand(['backup', '--backup-dir', fresh('backups')], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pg_dump');
  });
});

describe('restore from a backup', { timeout: 120_000 }, () => {
  it('refuses while a server is running on the data folder', async () => {
    const { file } = aBackup();
    const dataDir = fresh('data');
    const server = await startDemo(dataDir, fresh('backups'));
    try {
      const run = await runServerCommand(['restore', file, '--data-dir', dataDir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('SERVER_RUNNING');
    } finally {
      await server.stop();
    }
  });

  it('refuses a truncated or corrupted backup and leaves the store as it was', async () => {
    const { file, dataDir } = aBackup();
    const before = readFileSync(join(dataDir, SQLITE_FILE));
    const truncated = `${file}.truncated`;
    copyFileSync(file, truncated);
    truncateSync(truncated, Math.floor(statSync(file).size / 2));
    const corrupted = `${file}.corrupted`;
    copyFileSync(file, corrupted);
    const fd = openSync(corrupted, 'r+');
    // Garbage over the pages after the schema page: b-tree pages of the tables.
    writeSync(fd, Buffer.alloc(16_384, 0xa5), 0, 16_384, 8_192);
    closeSync(fd);
    for (const bad of [truncated, corrupted]) {
      const run = await runServerCommand(['restore', bad, '--data-dir', dataDir]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('BACKUP_INVALID');
    }
    expect(readFileSync(join(dataDir, SQLITE_FILE)).equals(before)).toBe(true);
    expect(existsSync(join(dataDir, `${SQLITE_FILE}.restoring`))).toBe(false);
  });

  it('refuses a backup whose audit chain was tampered with', async () => {
    const { file, dataDir } = aBackup();
    const tampered = `${file}.tampered`;
    copyFileSync(file, tampered);
    const db = new SqliteDatabase(tampered);
    db.exec('drop trigger if exists audit_log_no_update');
    db.prepare('update audit_log set subject = ? where seq = 1').run('code:FORGED');
    db.close();
    const run = await runServerCommand(['restore', tampered, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('audit chain breaks at entry 1');
  });

  it('refuses a backup from a newer schema', async () => {
    const { file, dataDir } = aBackup();
    const newer = `${file}.newer`;
    copyFileSync(file, newer);
    const db = new SqliteDatabase(newer);
    db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(
      '0099_from_the_future',
      new Date().toISOString(),
    );
    db.close();
    const run = await runServerCommand(['restore', newer, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SCHEMA_NEWER');
    expect(run.stderr).toContain('0099_from_the_future');
  });

  it('then a till pushes again what the restored server lacks, and each redemption exists exactly once', async () => {
    const dataDir = fresh('data');
    const backupDir = fresh('backups');
    let server = await startDemo(dataDir, backupDir);
    const demo = readDemo(dataDir);
    const till = await pair(server, demo);
    const manager = await chainManager(server, demo);
    const codes = cashCodes(demo).slice(0, 20);
    // The till's queue: every record it saw accepted ('synced'), in order.
    const synced: RedemptionRequest[] = [];
    const redeem = async (code: string) => {
      const body = request(till, code);
      const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
        token: till.token,
        body,
      });
      expect(r.json.outcome.status).toBe('accepted');
      synced.push(body);
    };
    for (const code of codes.slice(0, 10)) await redeem(code);
    const backup = await call<BackupReport>(server.url, 'POST', '/v1/manager/backups', {
      token: manager,
      body: {},
    });
    expect(backup.json.verified).toBe(true);
    for (const code of codes.slice(10)) await redeem(code);
    const pulled = await call<{ cursor: string }>(server.url, 'GET', '/v1/changes?since=', {
      token: till.token,
    });
    expect(pulled.status).toBe(200);
    expect(await server.stop()).toBe(0);

    const restored = await runServerCommand([
      'restore',
      join(backupDir, backup.json.file ?? ''),
      '--data-dir',
      dataDir,
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    server = await startDemo(dataDir, backupDir);
    try {
      // The till's next pull learns that the server was restored …
      const reset = await call<{ code: string }>(
        server.url,
        'GET',
        `/v1/changes?since=${pulled.json.cursor}`,
        {
          token: till.token,
        },
      );
      expect(reset.status).toBe(409);
      expect(reset.json.code).toBe('FEED_RESET');
      // … and pushes its whole queue again, twice as a till cut mid-answer would.
      const push = () =>
        call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
          token: till.token,
          body: { items: synced },
        });
      const first = await push();
      const second = await push();
      expect(first.status).toBe(200);
      expect(first.json.outcomes.map((o) => o.outcome.status)).toEqual(
        synced.map(() => 'accepted'),
      );
      expect(second.text).toBe(first.text);
      const db = new SqliteDatabase(join(dataDir, SQLITE_FILE), { readonly: true });
      const rows = db
        .prepare('select id, code from redemptions where terminal_id = ? order by code')
        .all(till.terminalId) as { id: string; code: string }[];
      db.close();
      expect(rows.map((r) => r.code)).toEqual([...codes].sort());
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(synced.map((s) => s.id)));
      // A pull from the start gives a cursor of the new epoch, which is accepted.
      const again = await call<{ cursor: string }>(server.url, 'GET', '/v1/changes?since=', {
        token: till.token,
      });
      const next = await call(server.url, 'GET', `/v1/changes?since=${again.json.cursor}`, {
        token: till.token,
      });
      expect(next.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
