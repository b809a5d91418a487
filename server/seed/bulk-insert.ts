import type { PoolClient } from 'pg';
import type { DatabaseHandle } from '../db/connect';

/** A column of a bulk insert: its name and, for PostgreSQL's unnest(), its array element type. */
export interface BulkColumn {
  readonly name: string;
  readonly pgType: 'text' | 'bigint' | 'integer';
}

/** Rows of one table, added one at a time and written in chunks. */
export interface BulkTable {
  add(row: readonly unknown[]): void;
}

/**
 * Writes many rows fast, for the chain generator (seed/chain.ts): on SQLite one prepared
 * single-row statement run in a loop (better-sqlite3 runs it synchronously, so a row costs a
 * few microseconds), on PostgreSQL one `insert … select * from unnest($1::text[], …)` per chunk
 * (one round trip for thousands of rows). Everything between begin() and commit() is one
 * transaction: a chunk flushed before the commit is not visible to anyone else.
 */
export class BulkInsert {
  private readonly tables: { name: string; columns: readonly BulkColumn[]; rows: unknown[][] }[] =
    [];
  private readonly client: Promise<PoolClient> | null;
  private written = 0;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly chunk = 5_000,
  ) {
    this.client = handle.pool ? handle.pool.connect() : null;
  }

  /** Rows written so far (flushed). */
  get rowCount(): number {
    return this.written;
  }

  table(name: string, columns: readonly BulkColumn[]): BulkTable {
    const t = { name, columns, rows: [] as unknown[][] };
    this.tables.push(t);
    return {
      add: (row) => {
        t.rows.push(row as unknown[]);
        // SQLite writes as it goes (synchronously); PostgreSQL waits for flush().
        if (this.handle.sqlite && t.rows.length >= this.chunk) this.flushSqlite(t);
      },
    };
  }

  async begin(): Promise<void> {
    await this.exec('begin');
  }

  /** Writes what is buffered, then commits. */
  async commit(): Promise<void> {
    await this.flush();
    await this.exec('commit');
  }

  async flush(): Promise<void> {
    for (const t of this.tables)
      if (this.handle.sqlite) this.flushSqlite(t);
      else while (t.rows.length > 0) await this.flushPostgres(t, t.rows.splice(0, this.chunk * 4));
  }

  async release(): Promise<void> {
    if (this.client) (await this.client).release();
  }

  private async exec(text: string): Promise<void> {
    if (this.handle.sqlite) this.handle.sqlite.prepare(text).run();
    else await (await this.clientOf()).query(text);
  }

  private async clientOf(): Promise<PoolClient> {
    if (!this.client) throw new Error('no PostgreSQL client');
    return this.client;
  }

  private flushSqlite(t: { name: string; columns: readonly BulkColumn[]; rows: unknown[][] }) {
    const sqlite = this.handle.sqlite;
    if (!sqlite || t.rows.length === 0) return;
    const statement = sqlite.prepare(
      `insert into ${t.name} (${t.columns.map((c) => c.name).join(', ')}) values (${t.columns
        .map(() => '?')
        .join(', ')})`,
    );
    for (const row of t.rows) statement.run(row);
    this.written += t.rows.length;
    t.rows.length = 0;
  }

  private async flushPostgres(
    t: { name: string; columns: readonly BulkColumn[] },
    rows: unknown[][],
  ): Promise<void> {
    const arrays = t.columns.map((_, i) => rows.map((r) => r[i] ?? null));
    await (
      await this.clientOf()
    ).query(
      `insert into ${t.name} (${t.columns.map((c) => c.name).join(', ')}) select * from unnest(${t.columns
        .map((c, i) => `$${i + 1}::${c.pgType}[]`)
        .join(', ')})`,
      arrays,
    );
    this.written += rows.length;
  }
}
