import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** The one line server/cli.ts prints on stdout once it listens. */
export const SERVER_READY_PREFIX = 'TILLPOINT_SERVER_LISTENING ';

/** How much of the server's stderr a start failure quotes. */
const STDERR_TAIL_CHARS = 2_000;

/**
 * A running server process, whatever started it: Electron's utilityProcess.fork in the app
 * (electron/utility-server.ts), child_process.spawn under plain Node in tests and benches.
 */
export interface ServerChild {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Called once when the process has ended: its exit code, or a description of why not. */
  onExit(listener: (code: number | null, detail: string) => void): void;
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
}

/** Starts `modulePath` as a server process with these arguments and this environment. */
export type ForkServer = (
  modulePath: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
) => ServerChild;

export interface BundledServer {
  /** The server's base URL, e.g. http://127.0.0.1:43127 */
  readonly url: string;
  readonly child: ServerChild;
  /** The exit code once it has exited (null: killed by a signal), undefined while it runs. */
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
}

/** Where and how to run the bundled server (dist/server/cli.js). */
export interface ServerLaunch {
  /** utilityProcess.fork in the app; `nodeFork()` under plain Node. */
  readonly fork: ForkServer;
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
 * The server's arguments and environment. The app's own server is single-store, on SQLite in
 * its data dir, on a loopback port the OS picks: DATABASE_URL is cleared, even if the shell
 * points it at a chain database.
 */
export function serverArguments(launch: Omit<ServerLaunch, 'fork'>): {
  args: readonly string[];
  env: NodeJS.ProcessEnv;
} {
  return {
    args: [
      '--data-dir',
      launch.dataDir,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      ...(launch.extraArgs ?? []),
    ],
    env: { ...launch.env, DATABASE_URL: '' },
  };
}

/** Runs a module with a plain Node binary (tests, benches): the same bundle the app forks. */
export function nodeFork(execPath: string = process.execPath): ForkServer {
  return (modulePath, args, env) =>
    nodeChild(spawn(execPath, [modulePath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * Starts the bundled server on a loopback port and resolves once it is ready.
 * A missing bundle is refused before anything is started, naming the path.
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
  const { args, env } = serverArguments(launch);
  return waitForReady(launch.fork(launch.bundlePath, args, env), options);
}

/**
 * Starts a server process (any argv) under plain Node and resolves with its URL once it
 * prints "TILLPOINT_SERVER_LISTENING <url>"; for test servers that are not the bundle.
 */
export function startBundledServer(options: {
  command: readonly [string, ...string[]];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  onLog?: (line: string) => void;
}): Promise<BundledServer> {
  const [program, ...args] = options.command;
  const fork: ForkServer = (modulePath, rest, env) => {
    const child = spawn(program, [modulePath, ...rest], {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return nodeChild(child);
  };
  const [first = '', ...others] = args;
  return waitForReady(fork(first, others, options.env ?? process.env), options);
}

function nodeChild(child: ChildProcess): ServerChild {
  return {
    pid: child.pid,
    stdout: child.stdout,
    stderr: child.stderr,
    onExit(listener) {
      let done = false;
      // 'close', not 'exit': by then stdout and stderr have been read to their end.
      child.once('close', (code, signal) => {
        if (done) return;
        done = true;
        listener(code, signal ?? `exit code ${code}`);
      });
      child.once('error', (error) => {
        if (done) return;
        done = true;
        listener(null, `could not start: ${error.message}`);
      });
    },
    kill(signal) {
      child.kill(signal);
    },
  };
}

/**
 * Resolves with the server's URL once `child` prints its ready line; rejects, quoting the end
 * of its stderr, if it exits first, prints an unusable address, or stays silent too long.
 */
export function waitForReady(
  child: ServerChild,
  options: { timeoutMs?: number; onLog?: (line: string) => void } = {},
): Promise<BundledServer> {
  const log = options.onLog ?? (() => undefined);
  let stderrTail = '';
  let exit: { code: number | null } | null = null;
  const exited: (() => void)[] = [];
  child.onExit((code) => {
    exit = { code };
    for (const resolve of exited.splice(0)) resolve();
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (exit !== null) {
        resolve();
        return;
      }
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      exited.push(() => {
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
    // Utility processes report their exit before their pipes are drained: wait for stderr too.
    const stderrEnded = new Promise<void>((done) => {
      setTimeout(done, 1_000).unref();
      if (!child.stderr) done();
      else
        createInterface({ input: child.stderr })
          .on('line', (line) => {
            stderrTail = `${stderrTail}${line}\n`.slice(-STDERR_TAIL_CHARS);
            log(line);
          })
          .once('close', done);
    });
    child.onExit((_code, detail) => {
      clearTimeout(timer);
      void stderrEnded.then(() => {
        const tail = stderrTail.trim();
        fail(
          `The sync server exited before it was ready (${detail}); ` +
            (tail === '' ? 'it printed nothing on stderr.' : `the end of its stderr:\n${tail}`),
        );
      });
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
          resolve({ url, child, stop, exitCode: () => (exit === null ? undefined : exit.code) });
          return;
        }
        log(line);
      });
  });
}
