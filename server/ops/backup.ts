import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupReport } from '../../core/protocol';
import { copyAndVerify } from './backup-check';

/** Where backups go and how many are kept. */
export interface BackupSettings {
  /** A folder on another disk (a USB disk, a network share); created if missing. */
  readonly dir: string;
  /** Verified backups kept; older ones are deleted after a new one verified. */
  readonly keep: number;
}

const NAME = /^tillpoint-\d{8}T\d{6}(?:\d{3})?Z\.db$/;

/** tillpoint-20261202T160103123Z.db: sorts by time, one per millisecond. */
function fileName(at: Date): string {
  return `tillpoint-${at.toISOString().replace(/[-:.]/g, '')}.db`;
}

/**
 * Takes one online backup of the SQLite store at `source` into `settings.dir`
 * and verifies it before it counts: it is written as `<name>.partial`, renamed
 * only once verified, and only then are backups beyond `keep` deleted. An
 * unverified copy is deleted; the report says why.
 */
export async function takeBackup(
  source: string,
  settings: BackupSettings,
  now: () => Date = () => new Date(),
): Promise<BackupReport> {
  const started = now();
  const name = fileName(started);
  const final = join(settings.dir, name);
  const partial = `${final}.partial`;
  const report = (
    fields: Pick<BackupReport, 'verified' | 'file' | 'problems'> & Partial<BackupReport>,
  ): BackupReport => ({
    startedAt: started.toISOString(),
    seconds: (now().getTime() - started.getTime()) / 1000,
    bytes: 0,
    rows: {},
    auditEntries: 0,
    migrations: 0,
    removed: [],
    ...fields,
  });
  try {
    mkdirSync(settings.dir, { recursive: true });
  } catch (e) {
    return report({
      verified: false,
      file: null,
      problems: [`the backup folder ${settings.dir} cannot be created: ${codeOf(e)}`],
    });
  }
  const checked = await copyAndVerify(source, partial);
  const common = {
    rows: checked.rows,
    auditEntries: checked.auditEntries,
    migrations: checked.migrations,
  };
  if (checked.problems.length > 0) {
    rmSync(partial, { force: true });
    return report({ verified: false, file: null, problems: checked.problems, ...common });
  }
  renameSync(partial, final);
  const removed = prune(settings);
  return report({
    verified: true,
    file: name,
    problems: [],
    bytes: statSync(final).size,
    removed,
    ...common,
  });
}

/**
 * Deletes the oldest verified backups beyond `keep`. A `.partial` beside them
 * may be another process's backup under way (the CLI's), so it is left alone.
 */
function prune(settings: BackupSettings): string[] {
  const backups = readdirSync(settings.dir)
    .filter((f) => NAME.test(f))
    .sort();
  const old = backups.slice(0, Math.max(0, backups.length - settings.keep));
  for (const f of old) rmSync(join(settings.dir, f), { force: true });
  return old;
}

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException | null)?.code ?? String(e);
}
