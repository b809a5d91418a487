import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The sync server as its own process, as it runs in production. */
export interface ServerProcess {
  readonly url: string;
  /** CPU time (user + system) the server process has used so far, in ms; NaN where unknown. */
  cpuMs(): number;
  /** SIGTERM; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Linux: utime + stime from /proc/PID/stat, in clock ticks (100 per second). */
export function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * `server/cli.ts --demo` on port 0 with `dataDir`, on PostgreSQL when
 * `databaseUrl` is given, `extraArgs` after the usual flags. BENCH_SERVER_NODE_ARGS adds node flags, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load.
 */
export function startServerProcess(
  dataDir: string,
  databaseUrl?: string,
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env['BENCH_SERVER_NODE_ARGS']?.split(/\s+/).filter(Boolean) ?? []),
      '--import',
      'tsx',
      join(root, 'server/cli.ts'),
      '--demo',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl ?? '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^TILLPOINT_SERVER_LISTENING (\S+)$/.exec(line);
      if (m?.[1])
        resolve({
          url: m[1],
          cpuMs: () => cpuMsOf(child.pid),
          stop: () => (child.kill('SIGTERM'), exited),
        });
    });
    void exited.then(() => reject(new Error('the server exited before listening')));
  });
}

/** POSTs (or sends `method`) JSON and parses the answer; a non-2xx answer throws. */
export async function json<T>(
  url: string,
  init: { method?: string; token?: string; body?: unknown },
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'POST'} ${url} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
