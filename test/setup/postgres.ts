import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root, so as root the cluster belongs to the `postgres` system user. */
function asClusterOwner(command: string, args: string[]): string[] {
  return process.getuid?.() === 0
    ? ['runuser', '-u', 'postgres', '--', command, ...args]
    : [command, ...args];
}

function run(command: string, args: string[], what: string): void {
  const [cmd, ...rest] = asClusterOwner(command, args);
  const r = spawnSync(cmd ?? command, rest, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      `The throwaway PostgreSQL could not ${what}: ${r.error?.message ?? ''}${r.stderr}${r.stdout}\n` +
        `The server tests and benches need Debian's postgresql (binaries in ${BIN}); install it with apt-get install postgresql.`,
    );
}

export interface ThrowawayOptions {
  /**
   * Keep PostgreSQL's own durability settings (fsync, synchronous_commit,
   * full_page_writes on), as a production server runs: what the benches
   * measure. Off by default, so the test suite runs fast.
   */
  readonly durable?: boolean;
}

/**
 * Starts a throwaway cluster on 127.0.0.1 and a free port (socket in its temp
 * dir), with durability off for speed unless asked. Used by the test suite's
 * global set-up and by bench/server.bench.ts.
 */
export async function startThrowawayPostgres(
  options: ThrowawayOptions = {},
): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'tillpoint-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  run(
    join(BIN, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C'],
    'initialise a cluster',
  );
  const port = await freePort();
  run(
    join(BIN, 'pg_ctl'),
    [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300` +
        (options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off'),
      'start',
    ],
    'start',
  );
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      const [cmd, ...rest] = asClusterOwner(join(BIN, 'pg_ctl'), [
        '-D',
        data,
        '-m',
        'immediate',
        '-w',
        'stop',
      ]);
      spawnSync(cmd ?? 'pg_ctl', rest);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
