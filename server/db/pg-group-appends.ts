import { entryHash, GENESIS_HASH } from '../audit/chain';
import {
  AGGREGATE_TABLES,
  STORE_DAY,
  type AggregateTable,
  upsertTail,
} from '../reports/aggregate-tables';
import { StockChecks } from '../claims/pg-stock-checks';
import { AggregateBuffer } from './aggregate-buffer';
import { AUTH_CHANNEL } from './auth-changes';
import type { AppendMark, AuditRow, ChangeRow } from './group-appends';

/** A feed row before the flush gives it its sequence number. */
export type PendingChange = Omit<ChangeRow, 'seq'>;
/** An audit entry before the flush gives it its seq and chains it. */
export type PendingAudit = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

/** Key of the transaction-level advisory lock that orders feed and audit appends by commit. */
export const APPEND_LOCK_KEY = 7_311_2024;

/**
 * The change-feed and audit rows of one PostgreSQL commit group, buffered
 * unnumbered while its jobs run and written in bulk just before its COMMIT.
 *
 * Why the numbers are drawn only at the flush: several groups (and several
 * server instances) append at once, so nobody knows the heads in advance.
 * The flush takes the append lock (a transaction-level advisory lock, released
 * by COMMIT), then draws the feed seqs, reads the audit head and chains onto
 * it, and the group commits while still holding the lock. So sequence order is
 * commit order and no reader ever sees a row with an invisible row below it
 * (feed/changes.ts), yet the lock is held for a few statements and one COMMIT
 * per group instead of through every job of every transaction.
 */
export class PgGroupAppends {
  readonly dialect = 'postgres';
  private readonly changes: PendingChange[] = [];
  private readonly audit: PendingAudit[] = [];
  /** Report aggregate increments (aggregate-buffer.ts), upserted at the flush under the lock. */
  readonly aggregates = new AggregateBuffer();
  /** The group's claims, checked against their page's stock and counted at the flush. */
  readonly stock = new StockChecks();

  addChanges(rows: readonly PendingChange[]): void {
    this.changes.push(...rows);
  }

  /** Buffers entries in order; their seq, prev_hash and hash are set at the flush. */
  addAudit(rows: readonly PendingAudit[]): void {
    this.audit.push(...rows);
  }

  mark(): AppendMark {
    return {
      changes: this.changes.length,
      audit: this.audit.length,
      aggregates: this.aggregates.length,
      claims: this.stock.length,
    };
  }

  /** Drops what was appended after `mark` (its savepoint was rolled back). */
  undo(mark: AppendMark): void {
    this.changes.length = mark.changes;
    this.audit.length = mark.audit;
    this.aggregates.truncate(mark.aggregates);
    this.stock.truncate(mark.claims);
  }

  /**
   * Writes the buffered rows under the append lock and queues the nudges;
   * run once, after the group's last job, immediately before COMMIT. Returns
   * the highest feed seq written (0 when none). `authChanged` also notifies
   * AUTH_CHANNEL (db/auth-changes.ts).
   *
   * Three statements whatever the group's size (each a round trip that every
   * other group waiting for the lock waits on too; a fourth when the group
   * claimed, claims/pg-stock-checks.ts): the lock; the feed rows
   * with the audit head; the audit rows with the notifications. The lock has
   * a statement of its own because a statement reads the snapshot taken when
   * it started: a head read in the statement that waited for the lock could
   * miss the group that held it. The rows go in as arrays (unnest), so each
   * statement's text is fixed and is prepared once per connection.
   *
   * The aggregate upserts ride in the last statement: no round trip of their own, and as every
   * group upserts only under the lock, no group ever waits on another's aggregate row.
   */
  async flush(run: RunStatement, authChanged = false): Promise<number> {
    const changes = this.changes;
    const audit = this.audit;
    const empty = this.aggregates.length === 0 && this.stock.length === 0;
    if (changes.length === 0 && audit.length === 0 && empty) {
      if (authChanged) await run(NOTIFY_AUTH, []);
      return 0;
    }
    await run(TAKE_APPEND_LOCK, [APPEND_LOCK_KEY]);
    // Its own statement, after the lock's: its snapshot must hold every claim committed before.
    await this.stock.flush(run);
    const heads = (
      await run<{ max_seq: number | null; audit_seq: number | null; audit_hash: string | null }>(
        INSERT_CHANGES_READ_AUDIT_HEAD,
        [
          changes.map((c) => c.batch_id),
          changes.map((c) => c.doc),
          changes.map((c) => c.created_at),
        ],
      )
    ).rows[0];
    const maxSeq = Number(heads?.max_seq ?? 0);
    let seq = Number(heads?.audit_seq ?? 0);
    let prevHash = heads?.audit_hash ?? GENESIS_HASH;
    const rows = audit.map((pending): AuditRow => {
      seq += 1;
      const row = { ...pending, seq, prev_hash: prevHash, hash: '' };
      row.hash = entryHash(prevHash, row);
      prevHash = row.hash;
      return row;
    });
    // Delivered on commit to every instance LISTENing (feed/nudges.ts, db/auth-changes.ts).
    const merged = this.aggregates.merged();
    await run(INSERT_AUDIT_AGGREGATES_NOTIFY, [
      ...AUDIT_COLUMNS.map((c) => rows.map((r) => r[c])),
      maxSeq > 0 ? String(maxSeq) : null,
      authChanged,
      ...columnsOf(merged.batchDay, BATCH_DAY_WIDTH),
      ...columnsOf(merged.tenderDay, TENDER_DAY_WIDTH),
      ...columnsOf(merged.batchHour, BATCH_HOUR_WIDTH),
      ...columnsOf(merged.storeDay, STORE_DAY_WIDTH),
    ]);
    return maxSeq;
  }
}

/** Runs one statement on the commit group's connection (storage.ts runNamed). */
export type RunStatement = <R>(
  text: string,
  parameters: readonly unknown[],
) => Promise<{ rows: R[] }>;

const TAKE_APPEND_LOCK = 'select pg_advisory_xact_lock($1)';
const NOTIFY_AUTH = `select pg_notify('${AUTH_CHANNEL}', '')`;

/** Numbers the feed rows (in array order, the jobs' order) and reads the audit head after them. */
const INSERT_CHANGES_READ_AUDIT_HEAD = `
with inserted as (
  insert into changes (batch_id, doc, created_at)
  select * from unnest($1::text[], $2::text[], $3::text[])
  returning seq
)
select
  (select max(seq) from inserted) as max_seq,
  head.seq as audit_seq,
  head.hash as audit_hash
from (select 1) as one
left join (select seq, hash from audit_log order by seq desc limit 1) as head on true`;

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

const [BATCH_DAY, TENDER_DAY, BATCH_HOUR] = AGGREGATE_TABLES;
const BATCH_DAY_WIDTH = BATCH_DAY.keys.length + BATCH_DAY.counters.length;
const TENDER_DAY_WIDTH = TENDER_DAY.keys.length + TENDER_DAY.counters.length;
const BATCH_HOUR_WIDTH = BATCH_HOUR.keys.length + BATCH_HOUR.counters.length;
const STORE_DAY_WIDTH = STORE_DAY.keys.length + STORE_DAY.counters.length;

/** Rows of values as one array per column (unnest's arguments). */
function columnsOf(rows: readonly unknown[][], width: number): unknown[][] {
  const out: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) for (let i = 0; i < width; i++) out[i]?.push(row[i]);
  return out;
}

/** A CTE upserting a table's rows from arrays starting at parameter `first`. */
function upsertCte(name: string, t: AggregateTable<unknown>, first: number): string {
  const columns = [...t.keys, ...t.counters];
  const arrays = t.pgTypes.map((type, i) => `$${first + i}::${type}[]`).join(', ');
  return `${name} as (
  insert into ${t.name} (${columns.join(', ')})
  select * from unnest(${arrays})
  ${upsertTail(t)}
)`;
}

const INSERT_AUDIT_AGGREGATES_NOTIFY = `
with inserted as (
  insert into audit_log (${AUDIT_COLUMNS.join(', ')})
  select * from unnest(
    $1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]
  )
),
${upsertCte('batch_day', BATCH_DAY, 14)},
${upsertCte('tender_day', TENDER_DAY, 14 + BATCH_DAY_WIDTH)},
${upsertCte('batch_hour', BATCH_HOUR, 14 + BATCH_DAY_WIDTH + TENDER_DAY_WIDTH)},
${upsertCte('store_day', STORE_DAY, 14 + BATCH_DAY_WIDTH + TENDER_DAY_WIDTH + BATCH_HOUR_WIDTH)}
select
  case when $12::text is not null then pg_notify('tillpoint_changes', $12::text) end as feed,
  case when $13::boolean then pg_notify('${AUTH_CHANNEL}', '') end as auth`;
