import { CompiledQuery, sql, type Kysely, type QueryResult, type Transaction } from 'kysely';
import type { DatabaseHandle, SqliteStatements } from './connect';
import { GroupAppends } from './group-appends';
import type { Dialect } from './migrations';
import type { Reader } from './reader';
import type { Database } from './schema';

/** The open transaction a write job runs in, plus what the feed and audit appenders need. */
export interface WriteTx {
  readonly trx: Transaction<Database>;
  readonly dialect: Dialect;
  /**
   * Serialises feed and audit appends in commit order (PostgreSQL: a
   * transaction-level advisory lock; SQLite: a no-op, writes are serial and
   * appends go through `appends`).
   */
  lockAppends(): Promise<void>;
  /** Records that the change feed reached `seq` in this transaction. */
  moved(seq: number): void;
  /**
   * Runs `fn` inside a savepoint: if it throws, its writes (and its buffered
   * appends) are undone alone and the error is rethrown.
   */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** SQLite: the commit group's feed and audit rows, written just before COMMIT; null on PostgreSQL. */
  readonly appends: GroupAppends | null;
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
  /** Runs `job` atomically; if it throws, none of its writes happen. */
  write<T>(job: WriteJob<T>): Promise<T>;
  /** Called after a commit moved the change feed (this instance's writes). */
  onFeedMoved(listener: (seq: number) => void): () => void;
  /** Waits for queued writes, then closes the database. */
  close(): Promise<void>;
}

const APPEND_LOCK_KEY = 7_311_2024;

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
const PG_RETRYABLE = new Set(['40001', '40P01']);

class Tx implements WriteTx {
  locked = false;
  maxSeq = 0;
  /** Savepoints are named by nesting depth: a fixed few statements, prepared once. */
  private depth = 0;
  /** SQLite: set once the job has settled; the group's transaction is not its to use any more. */
  finished = false;
  constructor(
    readonly trx: Transaction<Database>,
    readonly dialect: Dialect,
    readonly appends: GroupAppends | null,
    /** SQLite: the statements of the connection the commit group holds; null on PostgreSQL. */
    private readonly sqlite: SqliteStatements | null,
  ) {}
  async run<R>(text: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    if (!this.sqlite)
      return this.trx.executeQuery(CompiledQuery.raw(text, [...parameters]) as CompiledQuery<R>);
    // Kysely refuses a committed transaction; the direct path must refuse a finished job too.
    if (this.finished) throw new Error('a write job used its transaction after it settled');
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
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const sp = savepointStatements(++this.depth);
    const mark = this.appends?.mark();
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
        if (mark) this.appends?.undo(mark);
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
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Wraps an open database in the write discipline of its dialect. */
export function createStorage(handle: DatabaseHandle): Storage {
  const listeners = new Set<(seq: number) => void>();
  const emit = (seq: number) => {
    for (const l of listeners) l(seq);
  };
  const base = {
    db: handle.db,
    dialect: handle.dialect,
    reader: handle.reader,
    onFeedMoved(listener: (seq: number) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  if (handle.dialect === 'postgres') {
    return {
      ...base,
      write: (job) => writePostgres(handle.db, job, emit),
      close: () => handle.close(),
    };
  }
  if (!handle.sqlite) throw new Error('an SQLite handle without its statements');
  const writer = new SqliteGroupWriter(handle.db, handle.sqlite, emit);
  return {
    ...base,
    write: <T>(job: WriteJob<T>) => writer.submit(job),
    close: async () => {
      await writer.idle();
      await handle.close();
    },
  };
}

async function writePostgres<T>(
  db: Kysely<Database>,
  job: WriteJob<T>,
  emit: (seq: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      let tx: Tx | null = null;
      const value = await db.transaction().execute(async (trx) => {
        tx = new Tx(trx, 'postgres', null, null);
        const v = await job(tx);
        // Delivered on commit to every instance LISTENing (feed/nudges.ts).
        if (tx.maxSeq > 0)
          await sql`select pg_notify('tillpoint_changes', ${String(tx.maxSeq)})`.execute(trx);
        return v;
      });
      const seq = (tx as Tx | null)?.maxSeq ?? 0;
      if (seq > 0) emit(seq);
      return value;
    } catch (e) {
      // Two pushes locking the same codes in opposite orders: PostgreSQL aborts one; run it again.
      const code = (e as { code?: unknown }).code;
      if (attempt < 4 && typeof code === 'string' && PG_RETRYABLE.has(code)) continue;
      throw e;
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
  ) {}

  submit<T>(job: WriteJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
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
    try {
      await this.db.transaction().execute(async (trx) => {
        const appends = new GroupAppends(this.sqlite);
        for (const item of group) {
          const tx = new Tx(trx, 'sqlite', appends, this.sqlite);
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
    group.forEach((item, i) => {
      const s = settled[i];
      if (s?.ok) item.resolve(s.value);
      else item.reject(s?.value);
    });
    if (maxSeq > 0) this.emit(maxSeq);
  }
}
