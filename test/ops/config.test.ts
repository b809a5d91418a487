import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../server/config/load';
import { runServerCommand, spawnServer } from '../helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'tillpoint-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('the config file', { timeout: 60_000 }, () => {
  it('stops the server at a misspelt key, naming its line and the keys expected there', async () => {
    const config = file('typo.yaml', 'server:\n  port: 0\n  dataDri: /tmp/x\n');
    const run = await runServerCommand(['--config', config, '--print-config']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${config}:3: unknown key "server.dataDri"`);
    expect(run.stderr).toContain('expected one of: host, port, dataDir, demo');
  });

  it('stops the server at a wrong value, naming its line and what was expected', async () => {
    const config = file('wrong.yaml', 'server:\n  port: 0\ndatabase:\n  sqliteSynchronous: OFF\n');
    const run = await runServerCommand(['--config', config, '--print-config']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`${config}:4: database\\.sqliteSynchronous: .*"FULL"\\|"NORMAL"`),
    );
  });

  it('is overridden by TILLPOINT_ variables and flags, takes secrets from _FILE, and prints with secrets masked', async () => {
    const config = file(
      'full.yaml',
      'server:\n  port: 9001\n  host: 0.0.0.0\nbackup:\n  keep: 3\n',
    );
    const secret = file('db-url', 'postgres://till:s3cret-pw@db.example/ledger\n');
    const run = await runServerCommand(
      ['--config', config, '--print-config', '--backup-keep', '4'],
      {
        TILLPOINT_PORT: '9002',
        TILLPOINT_DATABASE_URL_FILE: secret,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('s3cret-pw');
    expect(parse(run.stdout)).toMatchObject({
      server: { port: 9002, host: '0.0.0.0', dataDir: '.data/server', demo: false },
      database: { url: '********', sqliteSynchronous: 'FULL' },
      backup: { keep: 4, everyHours: 24 },
    });
  });

  it('takes the trusted load balancers as a YAML list or a comma-separated TILLPOINT_TRUST_PROXY', () => {
    const config = file('proxies.yaml', 'server:\n  trustProxy: [10.0.0.5, 10.1.0.0/16]\n');
    expect(loadConfig(config, {}).server.trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(loadConfig(undefined, {}).server.trustProxy).toEqual([]);
    expect(
      loadConfig(undefined, { TILLPOINT_TRUST_PROXY: '127.0.0.1, ::1' }).server.trustProxy,
    ).toEqual(['127.0.0.1', '::1']);
    expect(() => loadConfig(undefined, { TILLPOINT_TRUST_PROXY: 'lb.example' })).toThrow(
      ConfigError,
    );
  });

  it('names the variable whose value is wrong', async () => {
    const run = await runServerCommand(['--print-config'], { TILLPOINT_BACKUP_KEEP: 'seven' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('environment variable TILLPOINT_BACKUP_KEEP: backup.keep');
  });

  it('refuses a retention below 180 days at start-up, naming the line of the file', async () => {
    const config = file(
      'short-retention.yaml',
      `server:\n  port: 0\n  dataDir: ${JSON.stringify(join(dir, 'short'))}\nretention:\n  days: 90\n`,
    );
    // Not --print-config: the server itself refuses to start.
    const run = await runServerCommand(['--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).not.toContain('TILLPOINT_SERVER_LISTENING');
    expect(run.stderr).toContain(
      `${config}:5: retention.days: must be at least 180 days: records are kept at least 180 days`,
    );
  });

  it('refuses a retention below 180 days from TILLPOINT_RETENTION_DAYS, naming the variable', async () => {
    const run = await runServerCommand(['--print-config'], { TILLPOINT_RETENTION_DAYS: '179' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'environment variable TILLPOINT_RETENTION_DAYS: retention.days: must be at least 180 days',
    );
  });

  it('keeps records 180 days by default, longer when set', async () => {
    const byDefault = await runServerCommand(['--print-config']);
    expect(parse(byDefault.stdout)).toMatchObject({ retention: { days: 180 } });
    const longer = await runServerCommand(['--print-config'], { TILLPOINT_RETENTION_DAYS: '400' });
    expect(longer.code, longer.stderr).toBe(0);
    expect(parse(longer.stdout)).toMatchObject({ retention: { days: 400 } });
  });

  it('sets the disk threshold from the file and TILLPOINT_DISK_MIN_FREE_MB, 64 MB by default', async () => {
    const byDefault = await runServerCommand(['--print-config']);
    expect(parse(byDefault.stdout)).toMatchObject({ disk: { minFreeMb: 64 } });
    const fromFile = file('disk.yaml', 'disk:\n  minFreeMb: 512\n');
    const inFile = await runServerCommand(['--print-config', '--config', fromFile]);
    expect(parse(inFile.stdout)).toMatchObject({ disk: { minFreeMb: 512 } });
    const fromEnv = await runServerCommand(['--print-config', '--config', fromFile], {
      TILLPOINT_DISK_MIN_FREE_MB: '2048',
    });
    expect(parse(fromEnv.stdout)).toMatchObject({ disk: { minFreeMb: 2048 } });
    const wrong = await runServerCommand(['--print-config'], { TILLPOINT_DISK_MIN_FREE_MB: '0' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      'environment variable TILLPOINT_DISK_MIN_FREE_MB: disk.minFreeMb:',
    );
  });

  it('starts a server from the file alone', async () => {
    const config = file(
      'serve.yaml',
      `server:\n  port: 0\n  dataDir: ${JSON.stringify(join(dir, 'data'))}\n  demo: true\n`,
    );
    const server = await spawnServer(['--config', config]);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await server.stop()).toBe(0);
  });
});
