import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** The one line server/cli.ts prints on stdout once it listens. */
export const SERVER_READY_PREFIX = 'TILLPOINT_SERVER_LISTENING ';

/** How much of the server's stderr a start failure quotes. */
const STDERR_TAIL_CHARS = 2_000;

export interface BundledServer {
  /** The server's base URL, e.g. http://127.0.0.1:43127 */
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Where and how to run the bundled server (dist/server/cli.js). */
export interface ServerLaunch {
  /** Electron's own binary (process.execPath in main) or, in tests, plain Node. */
  readonly execPath: string;
  /** The bundle built by `npm run build:server`. */
  readonly bundlePath: string;
  /** The server's SQLite database and demo files: under app.getPath('userData') in the app. */
  readonly dataDir: string;
  /** The environment to start from; the launch overrides only what it must. */
  readonly env: NodeJS.ProcessEnv;
  /** More server/cli.ts flags, e.g. ['--demo']. */
  readonly extraArgs?: readonly string[];
}

/**
 * The child's argv and environment. ELECTRON_RUN_AS_NODE makes the Electron
 * binary behave as plain Node (and plain Node ignores it), so the server loads
 * better-sqlite3 under the same ABI as main, the one npmRebuild built for.
 * DATABASE_URL is cleared: the app's own server is single-store, on SQLite.
 */
export function serverCommand(launch: ServerLaunch): {
  command: readonly [string, ...string[]];
  env: NodeJS.ProcessEnv;
} {
  return {
    command: [
      launch.execPath,
      launch.bundlePath,
      '--data-dir',
      launch.dataDir,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      ...(launch.extraArgs ?? []),
    ],
    env: { ...launch.env, ELECTRON_RUN_AS_NODE: '1', DATABASE_URL: '' },
  };
}

/**
 * Starts the bundled server on a loopback port and resolves once it is ready.
 * A missing bundle is refused before anything is spawned, naming the path.
 */
export function startServerBundle(
  launch: ServerLaunch,
  options: { timeoutMs?: number; onLog?: (line: string) => void } = {},
): Promise<BundledServer> {
  if (!existsSync(launch.bundlePath))
    return Promise.reject(
      new Error(
        `The sync server bundle is missing: ${launch.bundlePath}. Build it with \`npm run build:server\` (or reinstall the app).`,
      ),
    );
  return startBundledServer({ ...serverCommand(launch), ...options });
}

/**
 * Starts a server process (any argv) and resolves with its URL once it
 * prints "TILLPOINT_SERVER_LISTENING <url>"; if it exits first, the error
 * quotes the end of its stderr.
 */
export function startBundledServer(options: {
  command: readonly [string, ...string[]];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  onLog?: (line: string) => void;
}): Promise<BundledServer> {
  const [program, ...args] = options.command;
  const child = spawn(program, args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.onLog ?? (() => undefined);
  let stderrTail = '';
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
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(
      () => fail(`The sync server did not report ready within ${timeoutMs / 1000} s.`),
      timeoutMs,
    );
    child.once('error', (error) => fail(`The sync server could not start: ${error.message}`));
    // 'close', not 'exit': by then stderr has been read to its end.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const tail = stderrTail.trim();
      fail(
        `The sync server exited before it was ready (${signal ?? `exit code ${code}`}); ` +
          (tail === '' ? 'it printed nothing on stderr.' : `the end of its stderr:\n${tail}`),
      );
    });
    if (child.stderr)
      createInterface({ input: child.stderr }).on('line', (line) => {
        stderrTail = `${stderrTail}${line}\n`.slice(-STDERR_TAIL_CHARS);
        log(line);
      });
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
