import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type Transaction,
  type UnknownRow,
} from 'kysely';
import type pg from 'pg';
import { AuthChanges } from './auth-changes';
import type { DatabaseHandle, SqliteStatements } from './connect';
import { GroupAppends } from './group-appends';
import { APPEND_LOCK_KEY, PgGroupAppends } from './pg-group-appends';
import type { Dialect } from './migrations';
import type { Reader } from './reader';
import type { Database } from './schema';
import { writeGroupSize } from '../ops/metrics';

/** The open transaction a write job runs in, plus what the feed and audit appenders need. */
export interface WriteTx {
  readonly trx: Transaction<Database>;
  readonly dialect: Dialect;
  /**
   * Takes the append lock now (PostgreSQL: the transaction-level advisory lock
   * the group's flush takes anyway; SQLite: a no-op, writes are serial). Only
   * for a job that must read the committed heads itself; it then holds the
   * lock until its group commits. Feed and audit appends need not call it.
   */
  lockAppends(): Promise<void>;
  /** Records that the change feed reached `seq` in this transaction. */
  moved(seq: number): void;
  /**
   * Runs `fn` inside a savepoint: if it throws, its writes (and its buffered
   * appends) are undone alone and the error is rethrown.
   */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** The commit group's feed and audit rows, written just before its COMMIT. */
  readonly appends: GroupAppends | PgGroupAppends;
  /**
   * Runs one compiled statement in this transaction (db/prepared.ts). On
   * PostgreSQL it goes through `trx`. On SQLite it runs the cached
   * better-sqlite3 statement directly, skipping Kysely's executor (a chain of
   * promises per query that cost about as much as SQLite's own work on the
   * redemption path). That is the same transaction: the commit group holds
   * Kysely's only connection from BEGIN to COMMIT, so nothing else can run
   * on the handle in between.
   */
  run<R>(text: string, parameters: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Records that this job changed who a token belongs to (a terminal
   * unpaired, a store's time zone or groups): cached terminal look-ups are
   * dropped at once and again when the group commits, on every instance
   * (db/auth-changes.ts).
   */
  authChanged(): void;
}

export interface WriteOptions {
  /**
   * PostgreSQL: run the job without a savepoint of its own (one round trip
   * fewer per job). If it throws, its whole commit group is rolled back and
   * run again with every job in its savepoint, where it fails alone. Only for
   * jobs that may run twice and touch nothing but the database, and that
   * rarely throw: the redemption of the hot path. Ignored on SQLite, where a
   * savepoint costs no round trip.
   */
  readonly withoutSavepoint?: boolean;
}

/**
 * A write job: database work only (no scrypt, no network; a SHA-256 for the
 * audit chain is fine), so a group commit never waits on it.
 */
export type WriteJob<T> = (w: WriteTx) => Promise<T>;

export interface Storage {
  readonly db: Kysely<Database>;
  /**
   * Reads that must not queue behind write groups (the terminal and session
   * look-up of every request): on SQLite a second, read-only connection; on
   * PostgreSQL the pool. Sees committed data only.
   */
  readonly reader: Reader;
  readonly dialect: Dialect;
  /** When cached terminal look-ups must be dropped (auth/terminal-cache.ts). */
  readonly authChanges: AuthChanges;
  /** Runs `job` atomically; if it throws, none of its writes happen. */
  write<T>(job: WriteJob<T>, options?: WriteOptions): Promise<T>;
  /** Called after a commit moved the change feed (this instance's writes). */
  onFeedMoved(listener: (seq: number) => void): () => void;
  /** Waits for queued writes, then closes the database. */
  close(): Promise<void>;
}

/** Savepoint statements by nesting depth, built once: every redemption runs two of them. */
const savepointSql: { begin: string; release: string; undo: string }[] = [];
function savepointStatements(depth: number) {
  savepointSql[depth] ??= {
    begin: `savepoint sp${depth}`,
    release: `release savepoint sp${depth}`,
    undo: `rollback to savepoint sp${depth}`,
  };
  return savepointSql[depth];
}
const NO_PARAMETERS: readonly unknown[] = [];
/** A PostgreSQL group job's savepoint; a name of its own, so savepoint() inside the job nests under it. */
const JOB_SAVEPOINT = {
  begin: 'savepoint job',
  release: 'release savepoint job',
  undo: 'rollback to savepoint job',
};
const PG_RETRYABLE = new Set(['40001', '40P01']);

/** What the jobs of one commit group share besides the transaction. */
interface Group {
  readonly appends: GroupAppends | PgGroupAppends;
  /** Set when a job changed auth facts: the group notifies at its flush, bumps after COMMIT. */
  authChanged: boolean;
}

class Tx implements WriteTx {
  locked = false;
  maxSeq = 0;
  /** Savepoints are named by nesting depth: a fixed few statements, prepared once. */
  private depth = 0;
  /** Set once the job has settled; the group's transaction is not its to use any more. */
  finished = false;
  readonly appends: GroupAppends | PgGroupAppends;
  constructor(
    readonly trx: Transaction<Database>,
    readonly dialect: Dialect,
    private readonly group: Group,
    private readonly changes: AuthChanges,
    /** SQLite: the statements of the connection the commit group holds; null on PostgreSQL. */
    private readonly sqlite: SqliteStatements | null,
    /** PostgreSQL: the connection the commit group holds, for named prepared statements. */
    private readonly pgClient: pg.PoolClient | null = null,
  ) {
    this.appends = group.appends;
  }
  authChanged(): void {
    this.group.authChanged = true;
    this.changes.changed();
  }
  async run<R>(text: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    // Kysely refuses a committed transaction, but the group's stays open after a job settled.
    if (this.finished) throw new Error('a write job used its transaction after it settled');
    if (this.pgClient) return runNamed<R>(this.pgClient, text, parameters);
    if (!this.sqlite)
      return this.trx.executeQuery(CompiledQuery.raw(text, [...parameters]) as CompiledQuery<R>);
    return this.sqlite.run<R>(text, parameters);
  }
  async lockAppends(): Promise<void> {
    if (this.locked || this.dialect === 'sqlite') return;
    await sql`select pg_advisory_xact_lock(${APPEND_LOCK_KEY})`.execute(this.trx);
    this.locked = true;
  }
  moved(seq: number): void {
    if (seq > this.maxSeq) this.maxSeq = seq;
  }
  /**
   * PostgreSQL: runs a whole job inside a savepoint that is left open when the
   * job succeeds: one statement per job instead of two, since RELEASE frees
   * nothing the group's COMMIT would not (the group stays below PostgreSQL's 64
   * cached subtransactions, PG_GROUP_MAX). Undone alone, like savepoint().
   */
  async jobSavepoint<T>(fn: () => Promise<T>): Promise<T> {
    const mark = this.appends.mark();
    await this.run(JOB_SAVEPOINT.begin, NO_PARAMETERS);
    try {
      return await fn();
    } catch (error) {
      await this.run(JOB_SAVEPOINT.undo, NO_PARAMETERS);
      await this.run(JOB_SAVEPOINT.release, NO_PARAMETERS);
      this.appends.undo(mark);
      this.locked = false;
      throw error;
    }
  }
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const sp = savepointStatements(++this.depth);
    const mark = this.appends.mark();
    const maxSeq = this.maxSeq;
    try {
      await this.run(sp.begin, NO_PARAMETERS);
      try {
        const value = await fn();
        await this.run(sp.release, NO_PARAMETERS);
        return value;
      } catch (error) {
        await this.run(sp.undo, NO_PARAMETERS);
        await this.run(sp.release, NO_PARAMETERS);
        this.appends.undo(mark);
        this.maxSeq = maxSeq;
        // A lock taken inside the savepoint is released by the rollback: take it again when needed.
        this.locked = false;
        throw error;
      }
    } finally {
      this.depth -= 1;
    }
  }
}

interface Queued {
  readonly job: WriteJob<unknown>;
  readonly withoutSavepoint: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Wraps an open database in the write discipline of its dialect. */
export function createStorage(handle: DatabaseHandle): Storage {
  const listeners = new Set<(seq: number) => void>();
  const emit = (seq: number) => {
    for (const l of listeners) l(seq);
  };
  const authChanges = new AuthChanges(handle.dialect === 'postgres');
  const base = {
    db: handle.db,
    dialect: handle.dialect,
    reader: handle.reader,
    authChanges,
    onFeedMoved(listener: (seq: number) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  if (handle.dialect === 'postgres') {
    if (!handle.pool) throw new Error('a PostgreSQL handle without its pool');
    const pgWriter = new PgGroupWriter(handle.pool, emit, authChanges);
    // Not awaited: until it is up, terminal look-ups are simply not cached.
    void authChanges.listen(handle.pool);
    return {
      ...base,
      write: <T>(job: WriteJob<T>, options?: WriteOptions) => pgWriter.submit(job, options),
      close: async () => {
        await pgWriter.idle();
        authChanges.close();
        await handle.close();
      },
    };
  }
  if (!handle.sqlite) throw new Error('an SQLite handle without its statements');
  const writer = new SqliteGroupWriter(handle.db, handle.sqlite, emit, authChanges);
  return {
    ...base,
    write: <T>(job: WriteJob<T>) => writer.submit(job),
    close: async () => {
      await writer.idle();
      await handle.close();
    },
  };
}

/** Commit groups PostgreSQL runs at once, each on its own pooled connection (the pool has 16). */
const PG_LANES = 4;
/**
 * Most jobs in one group. Each job is a subtransaction; past 64 in one
 * transaction PostgreSQL's per-backend cache overflows and every other
 * session's snapshot checks get slower.
 */
const PG_GROUP_MAX = 32;
/** Attempts of a job (or a group's commit) that PostgreSQL aborted as a deadlock or serialization failure. */
const PG_ATTEMPTS = 4;

/** Statement names by text: the same text always gets the same name on every connection. */
const statementNames = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement on the group's connection:
 * PostgreSQL parses and plans each text once per connection instead of on
 * every call, and the call skips Kysely's executor (as WriteTx.run on SQLite).
 */
async function runNamed<R>(
  client: pg.PoolClient,
  text: string,
  parameters: readonly unknown[],
): Promise<QueryResult<R>> {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `tp${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  const result = await client.query({ name, text, values: [...parameters] });
  const changed = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command);
  return {
    rows: result.rows as R[],
    ...(changed ? { numAffectedRows: BigInt(result.rowCount ?? 0) } : {}),
  };
}

interface PgQueued extends Queued {
  attempts: number;
}

const isRetryable = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && PG_RETRYABLE.has(code);
};

/** A job run without its savepoint threw: its group is rolled back and run again with savepoints. */
class RunWithSavepoints extends Error {
  constructor(cause: unknown) {
    super('a job without a savepoint failed; its group is run again with savepoints', { cause });
  }
}

/** Refuses queries of a job's transaction once the job settled: its group may still be open. */
class RefuseAfterSettled implements KyselyPlugin {
  constructor(private readonly tx: { readonly finished: boolean }) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.tx.finished) throw new Error('a write job used its transaction after it settled');
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * Group commit for PostgreSQL, as SqliteGroupWriter does for SQLite: with
 * fsync on, one commit per redemption capped throughput at the WAL's fsync
 * rate, and worse, every transaction held the append lock through its COMMIT,
 * so commits were serial. Here writes that arrive together share one
 * transaction, each job in its own savepoint, and every caller is answered
 * only after the shared COMMIT returned. The group's feed and audit rows are
 * written at its flush, under the append lock taken only then
 * (pg-group-appends.ts), so one fsync covers the group and the lock is held
 * for a few statements. A few lanes run groups at once: their jobs overlap,
 * their flushes take turns on the lock. Jobs of one group run one after
 * another on its connection, so a job sees only its own group's earlier jobs
 * (as on SQLite) and the committed data of others.
 *
 * Every statement is a round trip, and on the redemption path the round
 * trips (a write to the socket each, a wake-up of the backend) cost more than
 * PostgreSQL's work: a job submitted withoutSavepoint saves its SAVEPOINT
 * and is undone, when it throws, by running its group again with savepoints.
 */
class PgGroupWriter {
  private readonly queue: PgQueued[] = [];
  private running = 0;
  private scheduled = false;
  private readonly lanes = new Set<Promise<void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly emit: (seq: number) => void,
    private readonly authChanges: AuthChanges,
  ) {}

  submit<T>(job: WriteJob<T>, options?: WriteOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        job,
        withoutSavepoint: options?.withoutSavepoint === true,
        resolve: resolve as (v: unknown) => void,
        reject,
        attempts: 0,
      });
      this.schedule();
    });
  }

  async idle(): Promise<void> {
    while (this.lanes.size > 0 || this.scheduled) {
      await Promise.all([...this.lanes]);
      if (this.scheduled) await new Promise<void>((done) => setImmediate(done));
    }
  }

  /** Starts lanes on the next turn, so jobs submitted together are grouped together. */
  private schedule(): void {
    if (this.scheduled || this.running >= PG_LANES) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    const free = PG_LANES - this.running;
    if (free <= 0 || this.queue.length === 0) return;
    // Spread what waits over the free lanes, so their jobs overlap.
    const size = Math.min(PG_GROUP_MAX, Math.ceil(this.queue.length / free));
    while (this.running < PG_LANES && this.queue.length > 0) {
      this.running += 1;
      const lane = this.commitGroup(this.queue.splice(0, size)).finally(() => {
        this.running -= 1;
        this.lanes.delete(lane);
        this.schedule();
      });
      this.lanes.add(lane);
    }
  }

  private async commitGroup(initial: PgQueued[]): Promise<void> {
    let group = initial;
    /** After a job without a savepoint failed: every job of the group gets one. */
    let savepoints = false;
    for (;;) {
      const settled: { ok: boolean; value: unknown }[] = [];
      const again: PgQueued[] = [];
      let maxSeq = 0;
      let client: pg.PoolClient | null = null;
      const appends = new PgGroupAppends();
      const shared: Group = { appends, authChanged: false };
      try {
        client = await this.pool.connect();
        const held = client;
        // Kysely over the one connection the group holds, so its statements and runNamed's share it.
        const db = new Kysely<Database>({
          dialect: new PostgresDialect({
            pool: {
              connect: async () => ({ query: held.query.bind(held), release() {} }),
              end: async () => {},
            },
          }),
        });
        const run = <R>(text: string, parameters: readonly unknown[]) =>
          runNamed<R>(held, text, parameters);
        await db.transaction().execute(async (trx) => {
          for (const item of group) {
            const guard = { finished: false };
            const tx = new Tx(
              trx.withPlugin(new RefuseAfterSettled(guard)),
              'postgres',
              shared,
              this.authChanges,
              null,
              held,
            );
            const bare = item.withoutSavepoint && !savepoints;
            try {
              const value = bare ? await item.job(tx) : await tx.jobSavepoint(() => item.job(tx));
              settled.push({ ok: true, value });
            } catch (error) {
              // Its writes cannot be undone alone: roll the group back (the throw) and run it again.
              if (bare) throw new RunWithSavepoints(error);
              settled.push({ ok: false, value: error });
            } finally {
              guard.finished = true;
              tx.finished = true;
            }
          }
          maxSeq = await appends.flush(run, shared.authChanged);
        });
      } catch (error) {
        client?.release();
        client = null;
        if (error instanceof RunWithSavepoints) {
          savepoints = true;
          continue;
        }
        // The group's flush or COMMIT failed: none of its jobs happened.
        for (const item of group) item.attempts += 1;
        // Aborted as a deadlock or serialization failure: run the whole group again.
        if (isRetryable(error) && group.every((item) => item.attempts < PG_ATTEMPTS)) continue;
        for (const item of group) item.reject(error);
        return;
      }
      client.release();
      writeGroupSize.observe({ dialect: 'postgres' }, group.length);
      if (shared.authChanged) this.authChanges.changed();
      group.forEach((item, i) => {
        const s = settled[i];
        if (s?.ok) item.resolve(s.value);
        // Aborted by a deadlock or serialization failure inside its savepoint: run it in a later group.
        else if (isRetryable(s?.value) && ++item.attempts < PG_ATTEMPTS) again.push(item);
        else item.reject(s?.value);
      });
      if (maxSeq > 0) this.emit(maxSeq);
      if (again.length === 0) return;
      group = again;
    }
  }
}

/**
 * Group commit for SQLite. With synchronous=FULL every commit waits for an
 * fsync, which would cap throughput at the disk's fsync rate. Writes that
 * arrive together share one transaction, each inside its own savepoint (so
 * one failing job undoes only its own writes), and every caller is answered
 * only after the shared COMMIT returned: still nothing acknowledged before it
 * is on disk. The group's feed and audit rows are buffered and written in
 * bulk before the COMMIT (group-appends.ts).
 */
class SqliteGroupWriter {
  private queue: Queued[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: SqliteStatements,
    private readonly emit: (seq: number) => void,
    private readonly authChanges: AuthChanges,
  ) {}

  submit<T>(job: WriteJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        job,
        withoutSavepoint: false,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      if (!this.draining) {
        this.draining = new Promise<void>((done) => setImmediate(done)).then(() => this.drain());
      }
    });
  }

  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, 512);
        await this.commitGroup(group);
      }
    } finally {
      this.draining = null;
    }
  }

  private async commitGroup(group: Queued[]): Promise<void> {
    const settled: { ok: boolean; value: unknown }[] = [];
    let maxSeq = 0;
    const shared: Group = { appends: new GroupAppends(this.sqlite), authChanged: false };
    try {
      await this.db.transaction().execute(async (trx) => {
        const appends = shared.appends as GroupAppends;
        for (const item of group) {
          const tx = new Tx(trx, 'sqlite', shared, this.authChanges, this.sqlite);
          try {
            const value = await tx.savepoint(() => item.job(tx));
            settled.push({ ok: true, value });
            if (tx.maxSeq > maxSeq) maxSeq = tx.maxSeq;
          } catch (error) {
            settled.push({ ok: false, value: error });
          } finally {
            tx.finished = true;
          }
        }
        appends.flush();
      });
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    writeGroupSize.observe({ dialect: 'sqlite' }, group.length);
    if (shared.authChanged) this.authChanges.changed();
    group.forEach((item, i) => {
      const s = settled[i];
      if (s?.ok) item.resolve(s.value);
      else item.reject(s?.value);
    });
    if (maxSeq > 0) this.emit(maxSeq);
  }
}
