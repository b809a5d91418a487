import { join, resolve } from 'node:path';
import { readCommand } from '../config/args';
import { SQLITE_FILE } from '../db/connect';
import { takeBackup } from './backup';
import { restoreBackup } from './restore';

/** Exit codes: 0 done, 1 the backup or restore failed or was refused, 2 a usage error. */
type Exit = 0 | 1 | 2;

const BACKUP_USAGE =
  'usage: tillpoint-server backup [--config FILE] [--data-dir DIR] [--backup-dir DIR] [--backup-keep N]';
const RESTORE_USAGE = 'usage: tillpoint-server restore FILE [--config FILE] [--data-dir DIR]';

const POSTGRES_REFUSAL =
  'this server keeps its ledger in PostgreSQL (database.url or DATABASE_URL is set), which it does not back up or restore itself. Use pg_dump or point-in-time recovery (docs/postgresql-backups.md).';

/**
 * `tillpoint-server backup`: one verified backup of the SQLite store, taken
 * online (a server may be serving it), into backup.dir. Prints the report as
 * one JSON line on stdout.
 */
export async function backupCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Exit> {
  const { config, positionals } = readCommand(args, env);
  if (config.database.url !== undefined) {
    console.error(`backup refused: ${POSTGRES_REFUSAL}`);
    return 2;
  }
  if (config.backup.dir === undefined || positionals.length > 0) {
    console.error(
      `backup.dir (or --backup-dir, TILLPOINT_BACKUP_DIR) is required. ${BACKUP_USAGE}`,
    );
    return 2;
  }
  const report = await takeBackup(join(resolve(config.server.dataDir), SQLITE_FILE), {
    dir: resolve(config.backup.dir),
    keep: config.backup.keep,
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
  const { config, positionals } = readCommand(args, env);
  if (config.database.url !== undefined) {
    console.error(`restore refused: ${POSTGRES_REFUSAL}`);
    return 2;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    console.error(RESTORE_USAGE);
    return 2;
  }
  const result = await restoreBackup(resolve(file), resolve(config.server.dataDir));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!result.ok) console.error(`restore refused (${result.code}): ${result.message}`);
  return result.ok ? 0 : 1;
}
