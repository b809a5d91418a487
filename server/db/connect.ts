import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type QueryResult } from 'kysely';
import pg from 'pg';
import { kyselyReader, sqliteReader, type Reader } from './reader';
import type { Database } from './schema';
import { migrationProvider, type Dialect } from './migrations';

export interface DatabaseOptions {
  /** SQLite lives in DIR/tillpoint.db; ignored when databaseUrl is set. */
  readonly dataDir: string;
  /** postgres://… selects PostgreSQL. */
  readonly databaseUrl?: string | undefined;
  /** FULL (default): an acknowledged redemption is on disk before the answer leaves. */
  readonly sqliteSynchronous?: 'FULL' | 'NORMAL';
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** PostgreSQL only: the pool, for LISTEN/NOTIFY clients. */
  readonly pool: pg.Pool | null;
  /**
   * SQLite only: the prepared statements behind `db`, by SQL text. Only the
   * commit group that holds Kysely's connection may run them (db/storage.ts).
   */
  readonly sqlite: SqliteStatements | null;
  /** Short reads that must not wait for a write (db/reader.ts). */
  readonly reader: Reader;
  close(): Promise<void>;
}

/** better-sqlite3 statements cached by SQL text, shared with Kysely's SQLite driver. */
export interface SqliteStatements {
  prepare(text: string): SqliteDatabase.Statement;
  /** Runs one statement synchronously, with the same result shape as Kysely's SQLite driver. */
  run<R>(text: string, parameters: readonly unknown[]): QueryResult<R>;
}

export const SQLITE_FILE = 'tillpoint.db';

/** Opens the database and runs every pending migration. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openSqlite(options.dataDir, options.sqliteSynchronous ?? 'FULL');
  try {
    const { error, results } = await new Migrator({
      db: handle.db,
      provider: migrationProvider(handle.dialect),
    }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`Database migration ${failed} failed: ${describe(error)}`, { cause: error });
    }
  } catch (e) {
    await handle.close();
    throw e;
  }
  return handle;
}

function openSqlite(dataDir: string, synchronous: 'FULL' | 'NORMAL'): DatabaseHandle {
  mkdirSync(dataDir, { recursive: true });
  const raw = new SqliteDatabase(join(dataDir, SQLITE_FILE));
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${synchronous}`);
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // Kysely prepares every statement anew; reusing prepared statements by SQL text
  // saves most of the per-query cost on the hot redemption path.
  const statements = new Map<string, SqliteDatabase.Statement>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= 1_000) statements.clear();
      statement = raw.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const database = {
    close: () => raw.close(),
    prepare,
    run<R>(text: string, parameters: readonly unknown[]): QueryResult<R> {
      const statement = prepare(text);
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const reader = sqliteReader(db, join(dataDir, SQLITE_FILE));
  return {
    db,
    dialect: 'sqlite',
    pool: null,
    sqlite: database,
    reader,
    close: async () => {
      reader.close();
      await db.destroy();
    },
  };
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 16,
    // Counts, serials and fen columns are bigint; every value we store fits in 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on the next query.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pool,
    sqlite: null,
    reader: kyselyReader(db),
    close: () => db.destroy(),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
