import { sql, type Transaction } from 'kysely';
import { entryHash, GENESIS_HASH } from '../audit/chain';
import type { AppendMark, AuditRow, ChangeRow } from './group-appends';
import type { Database } from './schema';

/** A feed row before the flush gives it its sequence number. */
export type PendingChange = Omit<ChangeRow, 'seq'>;
/** An audit entry before the flush gives it its seq and chains it. */
export type PendingAudit = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

/** Key of the transaction-level advisory lock that orders feed and audit appends by commit. */
export const APPEND_LOCK_KEY = 7_311_2024;
/** Rows per INSERT: 11 audit columns × 1,000 stays well below PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1_000;

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

  addChanges(rows: readonly PendingChange[]): void {
    this.changes.push(...rows);
  }

  /** Buffers entries in order; their seq, prev_hash and hash are set at the flush. */
  addAudit(rows: readonly PendingAudit[]): void {
    this.audit.push(...rows);
  }

  mark(): AppendMark {
    return { changes: this.changes.length, audit: this.audit.length };
  }

  /** Drops what was appended after `mark` (its savepoint was rolled back). */
  undo(mark: AppendMark): void {
    this.changes.length = mark.changes;
    this.audit.length = mark.audit;
  }

  /**
   * Writes the buffered rows under the append lock and queues the feed nudge;
   * run once, after the group's last job, immediately before COMMIT. Returns
   * the highest feed seq written (0 when none).
   */
  async flush(trx: Transaction<Database>): Promise<number> {
    if (this.changes.length === 0 && this.audit.length === 0) return 0;
    await sql`select pg_advisory_xact_lock(${APPEND_LOCK_KEY})`.execute(trx);
    let maxSeq = 0;
    for (let i = 0; i < this.changes.length; i += ROWS_PER_INSERT) {
      const inserted = await trx
        .insertInto('changes')
        .values(this.changes.slice(i, i + ROWS_PER_INSERT))
        .returning('seq')
        .execute();
      for (const r of inserted) maxSeq = Math.max(maxSeq, Number(r.seq));
    }
    if (this.audit.length > 0) {
      const head = await trx
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      let seq = Number(head?.seq ?? 0);
      let prevHash = head?.hash ?? GENESIS_HASH;
      const rows = this.audit.map((pending): AuditRow => {
        seq += 1;
        const row = { ...pending, seq, prev_hash: prevHash, hash: '' };
        row.hash = entryHash(prevHash, row);
        prevHash = row.hash;
        return row;
      });
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
        await trx
          .insertInto('audit_log')
          .values(rows.slice(i, i + ROWS_PER_INSERT))
          .execute();
    }
    // Delivered on commit to every instance LISTENing (feed/nudges.ts).
    if (maxSeq > 0)
      await sql`select pg_notify('tillpoint_changes', ${String(maxSeq)})`.execute(trx);
    return maxSeq;
  }
}
