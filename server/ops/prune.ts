import { sql } from 'kysely';
import type { Batch } from '../../core/vouchers';
import { appendAudit, PRUNE_ACTION } from '../audit/chain';
import { pruneLapsedCounts } from '../auth/limits';
import { MIN_RETENTION_DAYS } from '../config/schema';
import type { Storage, WriteTx } from '../db/storage';
import { prunedRecords } from './metrics';

/**
 * Retention (issues 12 and 14): records older than `retention.days` (never below 180) that
 * nothing needs any more are pruned, a few thousand rows per transaction so a prune never
 * holds the write path for long:
 *
 * - claim logs (`claims`) of batches that can no longer be claimed (revoked, expired, or a
 *   fixed validity that ended before the cutoff): a live batch's claims are what its
 *   per-customer limit counts, whatever their age. The reports read the daily aggregates,
 *   which stay (and the rebuild keeps the days a prune reached: reports/rebuild.ts);
 * - payment notifications (`payment_notifications`), kept only to apply a re-sent one once;
 * - audit entries, below a checkpoint (migration 0014): the last pruned entry's seq and hash
 *   are recorded first, the database then allows deleting rows at or below it only, and the
 *   chain verifies from that hash on. The newest entry is never pruned: the next append
 *   chains onto it;
 * - rate-limit counts (`auth_limits`) whose window lapsed a day ago: not records under the
 *   retention, but a row per phone that ever claimed, kept for nothing (auth/limits.ts).
 *
 * Not pruned: redemptions, sales, payments, refunds, codes and the change feed. They are the
 * money ledger and its exactly-once keys (a till may push a record again after a restore),
 * and accounting rules keep such records for years, not days.
 *
 * Several instances on one PostgreSQL: each transaction first takes a transaction-level
 * advisory lock without waiting; an instance that does not get it leaves the prune to the one
 * that has it (its redemptions are not held up behind the other's prune).
 */

/** Rows of each kind per transaction. */
export const PRUNE_BATCH = 2_000;
/** pg_try_advisory_xact_lock key of the prune; unlike the append lock's (db/pg-group-appends.ts). */
const PRUNE_LOCK_KEY = 7_311_2025;
const DAY_MS = 86_400_000;

export interface PruneReport {
  /** Records before this instant were eligible. */
  readonly cutoff: string;
  readonly claims: number;
  readonly notifications: number;
  readonly audit: number;
  /** Lapsed rate-limit counts (whatever their age beyond a day; not under the retention). */
  readonly limits: number;
  /** The audit checkpoint after this prune (null: the audit log was not pruned). */
  readonly checkpoint: { readonly seq: number; readonly hash: string } | null;
  /** PostgreSQL: another instance held the prune lock, so this one pruned nothing. */
  readonly skipped: boolean;
}

/** The instant before which records may go: `days` whole days before `now`. */
export function retentionCutoff(now: string, days: number): string {
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS)
    throw new RangeError(
      `retention.days must be at least ${MIN_RETENTION_DAYS} days (was ${days}): records are kept at least ${MIN_RETENTION_DAYS} days`,
    );
  return new Date(Date.parse(now) - days * DAY_MS).toISOString();
}

/** Prunes everything older than the retention, one small transaction after another. */
export async function pruneOnce(
  storage: Storage,
  days: number,
  now: string,
  batch: number = PRUNE_BATCH,
): Promise<PruneReport> {
  const cutoff = retentionCutoff(now, days);
  let total: PruneReport = {
    cutoff,
    claims: 0,
    notifications: 0,
    audit: 0,
    limits: 0,
    checkpoint: null,
    skipped: false,
  };
  for (;;) {
    const step = await storage.write((w) => pruneStep(w, cutoff, now, batch));
    if (step === 'locked') return { ...total, skipped: true };
    // Counted once committed.
    for (const kind of ['claims', 'notifications', 'audit', 'limits'] as const)
      if (step[kind] > 0) prunedRecords.inc({ kind }, step[kind]);
    total = {
      ...total,
      claims: total.claims + step.claims,
      notifications: total.notifications + step.notifications,
      audit: total.audit + step.audit,
      limits: total.limits + step.limits,
      checkpoint: step.checkpoint ?? total.checkpoint,
    };
    if (
      step.claims < batch &&
      step.notifications < batch &&
      step.audit < batch &&
      step.limits < batch
    )
      return total;
  }
}

type Step = Pick<PruneReport, 'claims' | 'notifications' | 'audit' | 'limits' | 'checkpoint'>;

async function pruneStep(
  w: WriteTx,
  cutoff: string,
  now: string,
  batch: number,
): Promise<Step | 'locked'> {
  if (w.dialect === 'postgres') {
    const lock = await sql<{
      ok: boolean;
    }>`select pg_try_advisory_xact_lock(${PRUNE_LOCK_KEY}) as ok`.execute(w.trx);
    if (lock.rows[0]?.ok !== true) return 'locked';
  }
  const claims = await pruneClaims(w, cutoff, batch);
  const notifications = await pruneNotifications(w, cutoff, batch);
  const { audit, checkpoint } = await pruneAudit(w, cutoff, now, batch);
  const limits = await pruneLapsedCounts(w, now, batch);
  if (claims + notifications + audit > 0) {
    await w.trx
      .insertInto('pruned_records')
      .values({ at: now, cutoff, claims, notifications, audit })
      .execute();
    await appendAudit(
      w,
      {
        actor: null,
        terminalId: null,
        storeId: null,
        action: PRUNE_ACTION,
        subject: 'retention',
        before: null,
        // The checkpoint this chain continues from, in the chain itself.
        after: { cutoff, claims, notifications, audit, checkpoint },
      },
      now,
    );
  }
  return { claims, notifications, audit, limits, checkpoint };
}

/** Batches nobody can claim from any more: their claim logs count for no limit. */
async function endedBatches(w: WriteTx, cutoff: string): Promise<string[]> {
  const rows = await w.trx.selectFrom('batches').select(['id', 'state', 'doc']).execute();
  return rows
    .filter((r) => {
      if (r.state === 'revoked' || r.state === 'expired') return true;
      const validity = (JSON.parse(r.doc) as Batch).validity;
      // Instants may carry an offset (+08:00): compared as instants, not as text.
      return validity.type === 'fixed' && Date.parse(validity.until) < Date.parse(cutoff);
    })
    .map((r) => r.id);
}

async function pruneClaims(w: WriteTx, cutoff: string, batch: number): Promise<number> {
  const ended = await endedBatches(w, cutoff);
  if (ended.length === 0) return 0;
  const result = await w.trx
    .deleteFrom('claims')
    .where('code', 'in', (eb) =>
      eb
        .selectFrom('claims')
        .select('code')
        .where('batch_id', 'in', ended)
        .where('claimed_at', '<', cutoff)
        .limit(batch),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function pruneNotifications(w: WriteTx, cutoff: string, batch: number): Promise<number> {
  const result = await w.trx
    .deleteFrom('payment_notifications')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('payment_notifications')
        .select('id')
        .where('received_at', '<', cutoff)
        .limit(batch),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Moves the checkpoint to the last entry of the oldest run of entries older than the cutoff
 * (entries in seq order; one written later with an earlier clock does not let a younger one
 * go), stopping before the newest entry, then deletes the entries at or below it.
 */
async function pruneAudit(
  w: WriteTx,
  cutoff: string,
  now: string,
  batch: number,
): Promise<Pick<Step, 'audit' | 'checkpoint'>> {
  const last = await w.trx
    .selectFrom('audit_checkpoints')
    .select('seq')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const head = await w.trx
    .selectFrom('audit_log')
    .select('seq')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!head) return { audit: 0, checkpoint: null };
  const rows = await w.trx
    .selectFrom('audit_log')
    .select(['seq', 'at', 'hash'])
    .where('seq', '>', Number(last?.seq ?? 0))
    .where('seq', '<', Number(head.seq))
    .orderBy('seq')
    .limit(batch)
    .execute();
  const firstYoung = rows.findIndex((r) => !(r.at < cutoff));
  const count = firstYoung === -1 ? rows.length : firstYoung;
  const through = rows[count - 1];
  if (!through) return { audit: 0, checkpoint: null };
  const seq = Number(through.seq);
  // The checkpoint first: the database lets only rows at or below it go (migration 0014).
  await w.trx
    .insertInto('audit_checkpoints')
    .values({ seq, hash: through.hash, at: now, pruned: count })
    .execute();
  const deleted = await w.trx.deleteFrom('audit_log').where('seq', '<=', seq).executeTakeFirst();
  return { audit: Number(deleted.numDeletedRows), checkpoint: { seq, hash: through.hash } };
}
