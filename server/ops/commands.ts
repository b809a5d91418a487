import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SQLITE_FILE } from '../db/connect';
import { takeBackup } from './backup';
import { restoreBackup } from './restore';

/** Exit codes: 0 done, 1 the backup or restore failed or was refused, 2 a usage error. */
type Exit = 0 | 1 | 2;

const BACKUP_USAGE = 'usage: tillpoint-server backup [--data-dir DIR] --backup-dir DIR [--keep N]';
const RESTORE_USAGE = 'usage: tillpoint-server restore FILE [--data-dir DIR]';

export const POSTGRES_BACKUP_REFUSAL =
  'DATABASE_URL is set: this server keeps its ledger in PostgreSQL, which it does not back up itself. Use pg_dump or point-in-time recovery (docs/postgresql-backups.md).';

/**
 * `tillpoint-server backup`: one verified backup of the SQLite store, taken
 * online (a server may be serving it). Prints the report as one JSON line on
 * stdout.
 */
export async function backupCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Exit> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'data-dir': { type: 'string', default: env['TILLPOINT_DATA_DIR'] ?? '.data/server' },
      'backup-dir': { type: 'string', default: env['TILLPOINT_BACKUP_DIR'] },
      keep: { type: 'string', default: env['TILLPOINT_BACKUP_KEEP'] ?? '7' },
    },
    strict: true,
  });
  if (env['DATABASE_URL']) {
    console.error(POSTGRES_BACKUP_REFUSAL);
    return 2;
  }
  const keep = Number(values.keep);
  if (values['backup-dir'] === undefined || !Number.isInteger(keep) || keep < 1) {
    console.error(
      `--backup-dir is required and --keep must be a whole number from 1. ${BACKUP_USAGE}`,
    );
    return 2;
  }
  const report = await takeBackup(join(resolve(values['data-dir']), SQLITE_FILE), {
    dir: resolve(values['backup-dir']),
    keep,
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (!report.verified) console.error(`backup failed: ${report.problems.join('; ')}`);
  return report.verified ? 0 : 1;
}

/** `tillpoint-server restore FILE`: replaces the stopped server's store with a verified backup. */
export async function restoreCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Exit> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      'data-dir': { type: 'string', default: env['TILLPOINT_DATA_DIR'] ?? '.data/server' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (env['DATABASE_URL']) {
    console.error(POSTGRES_BACKUP_REFUSAL.replace('back it up itself', 'restore itself'));
    return 2;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    console.error(RESTORE_USAGE);
    return 2;
  }
  const result = await restoreBackup(resolve(file), resolve(values['data-dir']));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!result.ok) console.error(`restore refused (${result.code}): ${result.message}`);
  return result.ok ? 0 : 1;
}
