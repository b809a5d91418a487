import {
  AGGREGATE_TABLES,
  STORE_DAY,
  upsertTail,
  type AggregateTable,
} from '../reports/aggregate-tables';
import { AggregateBuffer } from './aggregate-buffer';
import type { SqliteStatements } from './connect';
import type { AuditTable, ChangeTable } from './schema';

export type ChangeRow = Omit<ChangeTable, 'seq'> & { readonly seq: number };
export type AuditRow = Omit<AuditTable, 'seq'> & { readonly seq: number };

/** A position in the buffers, to undo the appends of a job or item that rolled back. */
export interface AppendMark {
  readonly changes: number;
  readonly audit: number;
  readonly aggregates: number;
  /** PostgreSQL: the group's claims awaiting their stock check (claims/pg-stock-checks.ts). */
  readonly claims: number;
}

const CHANGE_COLUMNS = ['seq', 'batch_id', 'doc', 'created_at'] as const;
const AUDIT_COLUMNS = [
  'seq',
  'at',
  'actor',
  'terminal_id',
  'store_id',
  'action',
  'subject',
  'before',
  'after',
  'prev_hash',
  'hash',
] as const;
/** Rows per INSERT: 11 audit columns × 200 stays far below SQLite's 32,766 parameters. */
const ROWS_PER_INSERT = 200;

/**
 * The INSERT text for `rows` rows, built once per size: the same string object
 * each time keeps the statement-cache lookup (db/connect.ts) from rehashing it.
 */
const insertTexts = new Map<string, string>();
/** Each aggregate table's upsert tail, built once. */
const UPSERT_TAILS = new Map(
  [...AGGREGATE_TABLES, STORE_DAY].map((t) => [t.name, ` ${upsertTail(t)}`]),
);
function insertText(table: string, columns: readonly string[], rows: number, tail = ''): string {
  const key = `${table}:${rows}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    text = `insert into ${table} (${columns.join(',')}) values ${Array(rows).fill(tuple).join(',')}${tail}`;
    insertTexts.set(key, text);
  }
  return text;
}

/**
 * The change-feed and audit rows of one SQLite commit group, numbered and
 * chained in memory and written with a few multi-row INSERTs just before the
 * group's COMMIT. Without this, every redemption read the audit head and ran
 * two single-row inserts of its own.
 *
 * Why this is safe: SQLite has one writer, and the group holds the only
 * connection from its first read of the heads to its COMMIT, so nobody else
 * can append in between; outside readers wait for the connection and see the
 * rows only once committed, in sequence order. The heads are read again in
 * every group, so no state outlives a transaction (a rolled-back group leaves
 * nothing behind). PostgreSQL has several writers and cannot know the heads
 * in advance: its groups number their rows under a lock at the flush
 * (pg-group-appends.ts).
 */
export class GroupAppends {
  readonly dialect = 'sqlite';
  private readonly changes: ChangeRow[] = [];
  private readonly audit: AuditRow[] = [];
  /** Report aggregate increments (aggregate-buffer.ts), upserted at the flush. */
  readonly aggregates = new AggregateBuffer();
  private feedHead: number | null = null;
  /** undefined until read; null when the log is empty. */
  private auditHead: { seq: number; hash: string } | null | undefined = undefined;

  /**
   * `sqlite` runs statements straight on the connection the group's
   * transaction holds (see WriteTx.run in storage.ts).
   */
  constructor(private readonly sqlite: SqliteStatements) {}

  /** Numbers feed rows after the last one (committed or buffered) and buffers them. */
  async addChanges(rows: readonly Omit<ChangeRow, 'seq'>[]): Promise<number[]> {
    if (this.feedHead === null) {
      const head = this.sqlite.run<{ seq: number | null }>(
        'select max(seq) as seq from changes',
        [],
      );
      this.feedHead = Number(head.rows[0]?.seq ?? 0);
    }
    const first = (this.changes.at(-1)?.seq ?? this.feedHead) + 1;
    return rows.map((row, i) => {
      this.changes.push({ ...row, seq: first + i });
      return first + i;
    });
  }

  /** The last audit entry (buffered, else committed), or null when the log is empty. */
  async lastAudit(): Promise<{ seq: number; hash: string } | null> {
    const buffered = this.audit.at(-1);
    if (buffered) return buffered;
    if (this.auditHead === undefined) {
      const head = this.sqlite.run<{ seq: number; hash: string }>(
        'select seq, hash from audit_log order by seq desc limit 1',
        [],
      ).rows[0];
      this.auditHead = head ? { seq: Number(head.seq), hash: head.hash } : null;
    }
    return this.auditHead;
  }

  /** Buffers an entry already chained onto lastAudit(). */
  addAudit(row: AuditRow): void {
    this.audit.push(row);
  }

  mark(): AppendMark {
    return {
      changes: this.changes.length,
      audit: this.audit.length,
      aggregates: this.aggregates.length,
      claims: 0,
    };
  }

  /** Drops what was appended after `mark` (its savepoint was rolled back). */
  undo(mark: AppendMark): void {
    this.changes.length = mark.changes;
    this.audit.length = mark.audit;
    this.aggregates.truncate(mark.aggregates);
  }

  /** Writes the buffered rows; run once, after the group's last job and before COMMIT. */
  flush(): void {
    this.insert('changes', CHANGE_COLUMNS, this.changes);
    this.insert('audit_log', AUDIT_COLUMNS, this.audit);
    if (this.aggregates.length === 0) return;
    const merged = this.aggregates.merged();
    const [batchDay, tenderDay, batchHour] = AGGREGATE_TABLES;
    this.upsert(batchDay, merged.batchDay);
    this.upsert(tenderDay, merged.tenderDay);
    this.upsert(batchHour, merged.batchHour);
    this.upsert(STORE_DAY, merged.storeDay);
  }

  private upsert(
    table: Pick<AggregateTable<unknown>, 'name' | 'keys' | 'counters'>,
    rows: readonly unknown[][],
  ): void {
    const columns = [...table.keys, ...table.counters];
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      this.sqlite.run(
        insertText(table.name, columns, chunk.length, UPSERT_TAILS.get(table.name)),
        chunk.flat(),
      );
    }
  }

  private insert<R>(
    table: string,
    columns: readonly (keyof R & string)[],
    rows: readonly R[],
  ): void {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const parameters: unknown[] = [];
      for (const row of chunk) for (const c of columns) parameters.push(row[c]);
      this.sqlite.run(insertText(table, columns, chunk.length), parameters);
    }
  }
}
