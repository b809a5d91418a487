import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { startServer, type ServerOptions } from '../../server/app';
import { SQLITE_FILE } from '../../server/db/connect';
import type { DemoFile } from '../../server/seed/demo';
import { createLogger } from '../../server/log';

/** Every endpoint suite runs against both databases. */
export const DRIVERS = ['sqlite', 'postgres'] as const;
export type Driver = (typeof DRIVERS)[number];

/** Read-only (or deliberately tampering) SQL access to the server's database, for assertions. */
export interface Inspector {
  /** `?` placeholders on both databases. */
  rows<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  exec(text: string, params?: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

export interface TestServer {
  readonly url: string;
  readonly driver: Driver;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly demo: DemoFile;
  readonly db: Inspector;
  /** Stops the server (the data stays, for restart tests). */
  stop(): Promise<void>;
  /** Stops the server and deletes its data. */
  close(): Promise<void>;
}

/** A fresh, empty PostgreSQL database on the run's throwaway cluster. */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = inject('pgUrl');
  const name = `tp_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function sqliteInspector(dataDir: string): Inspector {
  const db = new SqliteDatabase(join(dataDir, SQLITE_FILE));
  db.pragma('busy_timeout = 5000');
  return {
    rows: async <T>(text: string, params: readonly unknown[] = []) =>
      db.prepare(text).all(...params) as T[],
    exec: async (text, params = []) => {
      db.prepare(text).run(...params);
    },
    close: async () => {
      db.close();
    },
  };
}

function pgInspector(url: string): Inspector {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // pool.end() resolves before its sockets close; the DROP DATABASE … WITH (FORCE) that
  // follows can then terminate one, and an unhandled pool 'error' would fail the whole run.
  pool.on('error', () => undefined);
  const numbered = (text: string) => {
    let i = 0;
    return text.replace(/\?/g, () => `$${++i}`);
  };
  return {
    rows: async <T>(text: string, params: readonly unknown[] = []) =>
      (await pool.query(numbered(text), [...params])).rows as T[],
    exec: async (text, params = []) => {
      await pool.query(numbered(text), [...params]);
    },
    close: () => pool.end(),
  };
}

export type TestServerOptions = Partial<Omit<ServerOptions, 'dataDir' | 'databaseUrl'>> & {
  /** Reuse a data dir / database (restart tests). */
  readonly reuse?: { dataDir: string; databaseUrl: string | undefined };
};

/** Starts the real server in-process on 127.0.0.1:0 with the demo chain seeded. */
export async function startTestServer(
  driver: Driver,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'tillpoint-server-'));
  const pgDb = driver === 'postgres' && !options.reuse ? await createPgDatabase() : null;
  const databaseUrl = options.reuse?.databaseUrl ?? pgDb?.url;
  const rest: Partial<ServerOptions> = { ...options };
  delete (rest as { reuse?: unknown }).reuse;
  const server = await startServer({
    demo: true,
    logger: createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent'),
    limits: { loginPerMinute: 1_000, lookupPerMinute: 1_000, pairPerMinute: 1_000 },
    ...rest,
    dataDir,
    databaseUrl,
    port: 0,
    host: '127.0.0.1',
  });
  const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoFile;
  const db = databaseUrl ? pgInspector(databaseUrl) : sqliteInspector(dataDir);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
    await db.close();
  };
  return {
    url: server.url,
    driver,
    dataDir,
    databaseUrl,
    demo,
    db,
    stop,
    close: async () => {
      await stop();
      await pgDb?.drop();
      if (!options.reuse) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A second database with the same contents as a stopped server's (SQLite: the
 * data dir copied; PostgreSQL: a database made from it as a template), for
 * running two implementations on the same state. `reuse` starts a server on it.
 */
export async function copyTestDatabase(server: TestServer): Promise<{
  readonly reuse: { dataDir: string; databaseUrl: string | undefined };
  drop(): Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-copy-'));
  cpSync(server.dataDir, dataDir, { recursive: true });
  if (!server.databaseUrl)
    return {
      reuse: { dataDir, databaseUrl: undefined },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  const admin = inject('pgUrl');
  const source = new URL(server.databaseUrl).pathname.slice(1);
  const name = `tp_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    // A pool's sockets close a moment after pool.end(): until then the template is "in use".
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
        break;
      } catch (e) {
        if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await client.end();
  }
  return {
    reuse: { dataDir, databaseUrl: admin.replace(/\/[^/]*$/, `/${name}`) },
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every table a request could write to. */
const TABLES = [
  'stores',
  'store_groups',
  'products',
  'terminals',
  'users',
  'sessions',
  'batches',
  'codes',
  'redemptions',
  'conflicts',
  'leases',
  'changes',
  'audit_log',
];

/**
 * Every table's row count and the state of every code: what "the database is
 * unchanged" means in the tests that feed the server bad input.
 */
export async function snapshotDatabase(server: TestServer): Promise<string> {
  const counts: Record<string, number> = {};
  for (const t of TABLES)
    counts[t] = Number(
      (await server.db.rows<{ n: number }>(`select count(*) as n from ${t}`))[0]?.n,
    );
  const codes = await server.db.rows('select code, state from codes order by code');
  return JSON.stringify({ counts, codes });
}
