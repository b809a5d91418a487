import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export const SERVER_READY_PREFIX = 'TILLPOINT_SERVER_LISTENING ';

export interface BundledServer {
  /** The server's base URL, e.g. http://127.0.0.1:43127 */
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the bundled sync server as a child process (single-store mode) and
 * resolves with its URL once it prints "TILLPOINT_SERVER_LISTENING <url>".
 * `command` is the full argv: by default `tsx server/cli.ts --data-dir DIR --port 0`.
 */
export function startBundledServer(options: {
  command: readonly [string, ...string[]];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  onLog?: (line: string) => void;
}): Promise<BundledServer> {
  const [program, ...args] = options.command;
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.onLog ?? (() => undefined);
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      void stop();
      reject(new Error(message));
    };
    const timer = setTimeout(
      () =>
        fail(
          `The sync server did not report ready within ${(options.timeoutMs ?? 30_000) / 1000} s.`,
        ),
      options.timeoutMs ?? 30_000,
    );
    child.once('error', (error) => fail(`The sync server could not start: ${error.message}`));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(
        `The sync server exited before it was ready (${signal ?? `exit code ${code}`}); see its log.`,
      );
    });
    if (child.stderr) createInterface({ input: child.stderr }).on('line', log);
    if (child.stdout)
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!settled && line.startsWith(SERVER_READY_PREFIX)) {
          const url = line.slice(SERVER_READY_PREFIX.length).trim();
          try {
            new URL(url);
          } catch {
            fail(`The sync server reported an unusable address: "${url}".`);
            return;
          }
          settled = true;
          clearTimeout(timer);
          resolve({ url, child, stop });
          return;
        }
        log(line);
      });
  });
}
