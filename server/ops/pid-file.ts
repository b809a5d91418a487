import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PID_FILE = 'server.pid';

/**
 * Marks `dataDir` as served by this process, so a restore can tell a running
 * server from a stopped one. Returns the function that removes the mark.
 */
export function markRunning(dataDir: string): () => void {
  const file = join(dataDir, PID_FILE);
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (runningPid(dataDir) === process.pid) rmSync(file, { force: true });
  };
}

/** The pid of a live process serving `dataDir`, or null (no mark, or one a crash left behind). */
export function runningPid(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    // EPERM: the process exists but belongs to another user; it is running all the same.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
