import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema';

/**
 * Where short reads run that every request makes before it does anything
 * else (the terminal and session look-ups of authentication). Use it with
 * db/prepared.ts. Never inside a write job: it does not see that job's writes.
 */
export interface Reader {
  /** The database the reader belongs to; prepared queries compile for its dialect. */
  readonly db: Kysely<Database>;
  run<R>(text: string, parameters: readonly unknown[]): Promise<QueryResult<R>>;
}

/**
 * SQLite: Kysely has one connection, and an SQLite commit group holds it from
 * BEGIN to COMMIT (db/storage.ts), so a read through Kysely queues behind
 * every open group. A second connection, read-only, reads the last committed
 * state beside the writer (WAL allows one writer and many readers), with its
 * own cache of prepared statements, synchronously.
 */
export function sqliteReader(db: Kysely<Database>, file: string): Reader & { close(): void } {
  const raw = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  raw.pragma('busy_timeout = 5000');
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    db,
    run<R>(text: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
      let statement = statements.get(text);
      if (!statement) {
        statement = raw.prepare(text);
        statements.set(text, statement);
      }
      return Promise.resolve({ rows: statement.all(parameters) as R[] });
    },
    close: () => raw.close(),
  };
}

/** PostgreSQL: the pool already reads beside the writers; the reader is Kysely itself. */
export function kyselyReader(db: Kysely<Database>): Reader {
  return {
    db,
    run: <R>(text: string, parameters: readonly unknown[]) =>
      db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]) as CompiledQuery<R>),
  };
}
