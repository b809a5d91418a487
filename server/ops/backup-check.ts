import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { verifyChain } from '../audit/chain';
import { MIGRATION_NAMES } from '../db/migrations';
import type { Database } from '../db/schema';
import { copyAndCheck } from './sqlite-worker';

/** What a backup file holds and whether it may be trusted. */
export interface CheckedBackup {
  readonly problems: string[];
  readonly rows: Record<string, number>;
  readonly auditEntries: number;
  readonly migrations: number;
  /** Migrations in the file this build does not know: it comes from a newer server. */
  readonly unknownMigrations: string[];
  readonly feedEpoch: string;
}

/**
 * Copies `source` into `target` (when source is given) and verifies `target`:
 * SQLite's integrity check, the same rows per table as the source had at the
 * instant of the copy, a schema this build knows, and an audit chain that
 * verifies from its first entry to its last.
 */
export async function copyAndVerify(source: string | null, target: string): Promise<CheckedBackup> {
  const found = await copyAndCheck(source, target);
  const empty = { rows: {}, auditEntries: 0, migrations: 0, unknownMigrations: [], feedEpoch: '' };
  if (!found.ok)
    return { ...empty, problems: [`the file cannot be read as a database: ${found.message}`] };
  if (found.integrity.join() !== 'ok')
    return {
      ...empty,
      problems: [`SQLite's integrity check failed: ${found.integrity.slice(0, 3).join('; ')}`],
    };
  const problems: string[] = [];
  if (found.sourceRows !== null)
    for (const [table, n] of Object.entries(found.sourceRows))
      if (found.rows[table] !== n)
        problems.push(
          `table ${table} has ${found.rows[table] ?? 0} rows in the copy, ${n} in the store`,
        );
  if (found.migrations.length === 0 || found.rows['audit_log'] === undefined)
    problems.push('the file is not a Tillpoint store (no migrations or audit log)');
  const unknownMigrations = found.migrations.filter((m) => !MIGRATION_NAMES.includes(m));
  let auditEntries = 0;
  if (problems.length === 0) {
    const verdict = await verifyFile(target);
    auditEntries = verdict.checked;
    if (!verdict.ok)
      problems.push(
        `the audit chain breaks at entry ${verdict.firstBroken?.seq ?? '?'}: ${verdict.firstBroken?.problem ?? 'unknown'}`,
      );
    else if (verdict.checked !== found.rows['audit_log'])
      problems.push(
        `the audit chain covers ${verdict.checked} of ${found.rows['audit_log']} entries`,
      );
  }
  return {
    problems,
    rows: found.rows,
    auditEntries,
    migrations: found.migrations.length,
    unknownMigrations,
    feedEpoch: found.feedEpoch,
  };
}

/** The audit chain of a database file, read-only, page by page (so the event loop keeps turning). */
async function verifyFile(file: string) {
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new SqliteDatabase(file, { readonly: true }) }),
  });
  try {
    return await verifyChain(db);
  } finally {
    await db.destroy();
  }
}
