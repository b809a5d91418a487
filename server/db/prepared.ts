import { CompiledQuery, Kysely, type Compilable, type QueryResult } from 'kysely';
import type { Reader } from './reader';
import type { Database } from './schema';
import type { WriteTx } from './storage';

/** Stands for a named parameter while the query is compiled. */
class Slot {
  constructor(readonly name: string) {}
}

/** The placeholder function `build` receives: `p('id')` stands for params.id. */
export type Slots<P> = <K extends keyof P & string>(name: K) => P[K];

/**
 * Where a prepared query runs: the database (reads outside a write), a
 * write job's transaction, or the Reader (reads that must not wait for a
 * write). Prefer the WriteTx over its `trx` inside a job: on SQLite it skips
 * Kysely's executor (WriteTx.run).
 */
export type Queryable = Kysely<Database> | WriteTx | Reader;

/** The Kysely instance of a Queryable, for queries built on the spot (a Reader's is its database). */
export function kyselyOf(target: Queryable): Kysely<Database> {
  if (target instanceof Kysely) return target;
  return 'trx' in target ? target.trx : target.db;
}

interface Compiled {
  readonly sql: string;
  /** Per compiled parameter: the Slot to fill in, or a constant of the query (e.g. a LIMIT). */
  readonly parameters: readonly unknown[];
}

/**
 * A Kysely query built and compiled once per dialect, then run with fresh
 * parameter values. Kysely otherwise rebuilds and recompiles the whole
 * operation tree on every call, which on the redemption path cost more than
 * SQLite's own work. With better-sqlite3 the SQL text also hits the
 * prepared-statement cache (db/connect.ts) directly.
 *
 * `build` receives `p(name)`, a placeholder to use wherever a value goes; it
 * must not branch on parameter values (the shape is fixed at compile time).
 */
export function prepared<P extends Record<string, unknown>, R>(
  build: (db: Kysely<Database>, p: Slots<P>) => Compilable<R>,
): (target: Queryable, params: P) => Promise<QueryResult<R>> {
  // Keyed by the dialect's adapter class: the SQL depends only on the dialect.
  const byDialect = new Map<unknown, Compiled>();
  const slot: Slots<P> = (name) => new Slot(name) as unknown as P[typeof name];
  return (target, params) => {
    const db = kyselyOf(target);
    const dialect = db.getExecutor().adapter.constructor;
    let compiled = byDialect.get(dialect);
    if (!compiled) {
      const query = build(db, slot).compile();
      compiled = { sql: query.sql, parameters: query.parameters };
      byDialect.set(dialect, compiled);
    }
    const values = compiled.parameters.map((v) => (v instanceof Slot ? params[v.name] : v));
    if (target instanceof Kysely)
      return db.executeQuery<R>(CompiledQuery.raw(compiled.sql, values) as CompiledQuery<R>);
    return target.run<R>(compiled.sql, values);
  };
}
