import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect';

const BELOW_CHECKPOINT_ONLY =
  'audit_log is append-only: only entries at or below the last checkpoint may be pruned';
const CHECKPOINTS_APPEND_ONLY = 'audit_checkpoints is append-only';
const CHECKPOINT_MUST_FIT =
  'a checkpoint must name an existing audit entry (its seq and hash) above the last checkpoint';

/**
 * Retention (server/ops/prune.ts). The audit log stays append-only except below a checkpoint:
 * `audit_checkpoints` records the last pruned entry's seq and hash (when, how many), and the
 * database lets a row of audit_log be deleted only at or below the highest recorded checkpoint.
 * A checkpoint must name an entry that exists with that hash, above the previous checkpoint,
 * and checkpoints are themselves append-only: nobody can raise one past entries they then delete
 * without the database refusing. verifyChain starts from the checkpoint's hash.
 *
 * `pruned_records` remembers each prune's cutoff: the report rebuild keeps the stored daily
 * aggregates of days whose raw records may be gone (reports/rebuild.ts).
 */
export async function retention(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('pruned', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('pruned_records')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('cutoff', 'text', (c) => c.notNull())
    .addColumn('claims', 'integer', (c) => c.notNull())
    .addColumn('notifications', 'integer', (c) => c.notNull())
    .addColumn('audit', 'integer', (c) => c.notNull())
    .execute();

  if (dialect === 'postgres') {
    await sql`DROP TRIGGER audit_log_no_edit ON audit_log`.execute(db);
    await sql
      .raw(
        `CREATE FUNCTION audit_log_prune_below_checkpoint() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND OLD.seq <= (SELECT coalesce(max(seq), 0) FROM audit_checkpoints)
        THEN RETURN OLD; END IF;
        RAISE EXCEPTION '${BELOW_CHECKPOINT_ONLY}';
      END $$`,
      )
      .execute(db);
    await sql`CREATE TRIGGER audit_log_no_edit BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_prune_below_checkpoint()`.execute(db);
    await sql
      .raw(
        `CREATE FUNCTION audit_checkpoints_guard() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT'
          AND EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash)
          AND NEW.seq > (SELECT coalesce(max(seq), 0) FROM audit_checkpoints)
        THEN RETURN NEW; END IF;
        IF TG_OP = 'INSERT' THEN RAISE EXCEPTION '${CHECKPOINT_MUST_FIT}'; END IF;
        RAISE EXCEPTION '${CHECKPOINTS_APPEND_ONLY}';
      END $$`,
      )
      .execute(db);
    await sql`CREATE TRIGGER audit_checkpoints_guard BEFORE INSERT OR UPDATE OR DELETE
      ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_guard()`.execute(db);
    await sql`CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
    return;
  }
  await sql`DROP TRIGGER audit_log_no_delete`.execute(db);
  await sql
    .raw(
      `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN OLD.seq > (SELECT coalesce(max(seq), 0) FROM audit_checkpoints)
    BEGIN SELECT RAISE(ABORT, '${BELOW_CHECKPOINT_ONLY}'); END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER audit_checkpoints_fit BEFORE INSERT ON audit_checkpoints
    WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash)
      OR NEW.seq <= (SELECT coalesce(max(seq), 0) FROM audit_checkpoints)
    BEGIN SELECT RAISE(ABORT, '${CHECKPOINT_MUST_FIT}'); END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, '${CHECKPOINTS_APPEND_ONLY}'); END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, '${CHECKPOINTS_APPEND_ONLY}'); END`,
    )
    .execute(db);
}
