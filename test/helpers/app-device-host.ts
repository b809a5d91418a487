import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The browser-mode device host as `npm start` runs it: its own process and settings folder. */
export interface DeviceHostProcess {
  /** ws://127.0.0.1:PORT/devices?token=… */
  readonly url: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** SIGTERM and wait: the host closes its devices and exits. */
  stop(): Promise<void>;
}

const REPO = join(import.meta.dirname, '..', '..');

export async function startDeviceHostProcess(settingsDir: string): Promise<DeviceHostProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'native/host/cli.ts', '--port', '0', '--settings-dir', settingsDir],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the device host did not start in 60 s:\n${stderr}`)),
      60_000,
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = /^TILLPOINT_DEVICE_HOST (\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the device host exited with ${code} before listening:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
