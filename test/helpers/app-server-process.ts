import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What `server/cli.ts --demo` writes to DATA_DIR/demo.json. */
export interface DemoData {
  readonly pairingCodes: readonly { readonly storeId: string; readonly code: string }[];
  readonly cashiers: readonly {
    readonly storeId: string;
    readonly name: string;
    readonly pin: string;
  }[];
  readonly managers: readonly { readonly username: string; readonly password: string }[];
  readonly codes: Readonly<Record<string, readonly string[]>>;
  readonly batches: readonly {
    readonly id: string;
    readonly kind: string;
    readonly name: string;
  }[];
  readonly products: readonly {
    readonly sku: string;
    readonly name: string;
    readonly barcode: string;
    readonly priceFen: number;
  }[];
  readonly members: readonly {
    readonly id: string;
    readonly name: string;
    readonly phone: string;
    readonly card: string;
    readonly tier: string;
  }[];
}

/** A real sync server process on 127.0.0.1, port 0, with its own data directory. */
export interface ServerProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** SIGTERM and wait: in-flight requests finish. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, nothing finishes. */
  kill(): Promise<void>;
}

const REPO = join(import.meta.dirname, '..', '..');

/** `extraArgs` go after the usual ones (e.g. `--wechatpay-config FILE`). */
export async function startServerProcess(
  dataDir: string,
  port = 0,
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/cli.ts',
      '--demo',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--host',
      '127.0.0.1',
      ...extraArgs,
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 60 s:\n${stderr}`)),
      60_000,
    );
    lines.on('line', (line) => {
      const m = /^TILLPOINT_SERVER_LISTENING (\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/+$/, ''));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    url,
    dataDir,
    child,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function readDemo(dataDir: string): Promise<DemoData> {
  return JSON.parse(await readFile(join(dataDir, 'demo.json'), 'utf8')) as DemoData;
}
