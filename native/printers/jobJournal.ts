import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../manager/atomicFile';

// A retry that arrives after its expiry is refused anyway; a day of margin covers clock changes.
const KEEP_AFTER_EXPIRY_MS = 86_400_000;

const JournalFile = z
  .object({
    version: z.literal(1),
    /** jobId -> the job's expiry; kept until the expiry has passed, after which it cannot print anyway. */
    printed: z.record(z.string(), z.string()),
  })
  .strict();

/**
 * The print jobs already on paper, kept on disk so that a retried job (after
 * a reconnect, a reload or a restart) is recognised and not printed twice.
 */
export class JobJournal {
  private constructor(
    private readonly path: string,
    private readonly printed: Map<string, number>,
  ) {}

  static async load(settingsDir: string): Promise<JobJournal> {
    const path = join(settingsDir, 'print-jobs.json');
    const printed = new Map<string, number>();
    try {
      const parsed = JournalFile.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success) {
        for (const [id, expires] of Object.entries(parsed.data.printed)) {
          printed.set(id, Date.parse(expires));
        }
      }
    } catch {
      // No journal yet (first run) or unreadable: start empty; it only prevents duplicates.
    }
    return new JobJournal(path, printed);
  }

  has(jobId: string): boolean {
    return this.printed.has(jobId);
  }

  /** Records a printed job; resolves once the record is on disk. */
  async add(jobId: string, expiresAt: string, now: Date): Promise<void> {
    this.printed.set(jobId, Date.parse(expiresAt));
    for (const [id, expires] of this.printed) {
      if (expires + KEEP_AFTER_EXPIRY_MS < now.getTime()) this.printed.delete(id);
    }
    const printed: Record<string, string> = {};
    for (const [id, expires] of this.printed) printed[id] = new Date(expires).toISOString();
    await writeFileAtomic(this.path, JSON.stringify({ version: 1, printed }));
  }
}
