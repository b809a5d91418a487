/**
 * `npm start`: builds the renderer, starts the WeChat Pay simulator (its merchant configuration for
 * this run in .data/wechatpay-sim) and the sync server with demo data on SQLite (.data/server)
 * taking payments through it — no network needed; it serves the manager console at /manager/ — serves the app on 127.0.0.1 and opens it in Electron where the Electron
 * binary is present (its main process hosts the devices), else in browser mode with the device
 * host (settings in .data/devices) and the URL and demo credentials printed.
 * Ctrl-C stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { serveRenderer, type StaticServer } from './static-server';

const REPO = resolve(import.meta.dirname, '..');
const DATA_DIR = join(REPO, '.data', 'server');
const DEVICES_DIR = join(REPO, '.data', 'devices');
const DIST = join(REPO, 'dist', 'renderer');
const SIM_DIR = join(REPO, '.data', 'wechatpay-sim');

const children: ChildProcess[] = [];
let staticServer: StaticServer | null = null;
let stopping = false;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  say('Building the cashier app (vite build)…');
  const build = spawnSync(
    process.execPath,
    [join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: REPO,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) throw new Error('The renderer build failed; see the errors above.');

  mkdirSync(DATA_DIR, { recursive: true });
  // The simulator's notify_url is the server's, so the server's port is chosen first.
  const serverPort = await freePort();
  say('Starting the WeChat Pay simulator…');
  const sim = await startSimulator(serverPort);
  say('Starting the sync server (SQLite, demo data, WeChat Pay through the simulator)…');
  const serverUrl = await startServer(serverPort, sim.configFile);
  staticServer = await serveRenderer({ root: DIST, serverUrl });

  const electronDist = join(REPO, 'node_modules', 'electron', 'dist');
  const electronMain = join(REPO, 'dist', 'electron', 'main.js');
  if (!existsSync(electronDist)) {
    // Fetching the binary needs the network; where it is blocked we fall back to browser mode.
    spawnSync(process.execPath, [join(REPO, 'node_modules', 'electron', 'install.js')], {
      cwd: REPO,
      stdio: 'ignore',
      timeout: 120_000,
    });
  }
  const electronBinary = existsSync(electronDist) ? electronPath(electronDist) : null;
  if (electronBinary) {
    say('Building the Electron main process and preload…');
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'electron', 'build.ts')], {
      cwd: REPO,
      stdio: 'inherit',
    });
  }
  if (electronBinary && existsSync(electronMain)) {
    say('Opening the Electron window…');
    const app = spawn(electronBinary, [electronMain], {
      cwd: REPO,
      stdio: 'inherit',
      env: {
        ...process.env,
        // The renderer and its config.json come from our static server; the sync
        // server is already running, so the main process connects instead of starting one.
        TILLPOINT_DEV_URL: staticServer.url,
        TILLPOINT_CHAIN_URL: serverUrl,
      },
    });
    children.push(app);
    app.once('exit', () => void shutdown(0));
    printWelcome(staticServer.url, serverUrl, 'electron', sim.url);
    return;
  }
  say(
    electronBinary
      ? 'Electron is installed but its main process did not build (dist/electron/main.js); using browser mode.'
      : 'Electron was not found (node_modules/electron/dist is missing); starting browser mode.',
  );
  mkdirSync(DEVICES_DIR, { recursive: true });
  say('Starting the device host (scanners and printers)…');
  const deviceHostUrl = await startDeviceHost().catch((error: unknown) => {
    // The till still works without it: keyboard-wedge scanners need no device host.
    say(`The device host did not start: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  });
  staticServer.setDeviceHostUrl(deviceHostUrl);
  printWelcome(staticServer.url, serverUrl, deviceHostUrl, sim.url);
}

/** A port nothing listens on now (the server takes it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/** The simulator, writing this run's merchant configuration (keys made at its start) to SIM_DIR. */
async function startSimulator(serverPort: number): Promise<{ url: string; configFile: string }> {
  mkdirSync(SIM_DIR, { recursive: true });
  const args = [
    '--port',
    '0',
    '--config-dir',
    SIM_DIR,
    '--notify-url',
    `http://127.0.0.1:${serverPort}/v1/payments/wechat/notify`,
  ];
  const url = await startUntilReady(
    'The WeChat Pay simulator',
    join(REPO, 'server', 'payments', 'simulator', 'cli.ts'),
    args,
    'WECHATPAY_SIMULATOR_LISTENING',
  );
  return { url: url.replace(/\/+$/, ''), configFile: join(SIM_DIR, 'wechatpay.json') };
}

function electronPath(dist: string): string {
  if (process.platform === 'win32') return join(dist, 'electron.exe');
  if (process.platform === 'darwin')
    return join(dist, 'Electron.app', 'Contents', 'MacOS', 'Electron');
  return join(dist, 'electron');
}

function startServer(port: number, wechatpayConfig: string): Promise<string> {
  const args = [
    '--demo',
    '--data-dir',
    DATA_DIR,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--wechatpay-config',
    wechatpayConfig,
  ];
  return startUntilReady(
    'The sync server',
    join(REPO, 'server', 'cli.ts'),
    args,
    'TILLPOINT_SERVER_LISTENING',
  ).then((url) => url.replace(/\/+$/, ''));
}

/** Starts native/host/cli.ts and resolves with the URL (and token) it prints once listening. */
function startDeviceHost(): Promise<string> {
  const args = ['--port', '0', '--settings-dir', DEVICES_DIR];
  return startUntilReady(
    'The device host',
    join(REPO, 'native', 'host', 'cli.ts'),
    args,
    'TILLPOINT_DEVICE_HOST',
  );
}

/**
 * Runs a TypeScript entry point as a child process and resolves with what it
 * prints after `readyWord` on stdout once it is listening. Should it exit
 * (before or after that), the reason and its last log lines are reported.
 */
function startUntilReady(
  what: string,
  entry: string,
  args: readonly string[],
  readyWord: string,
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-8_000);
  });
  const ready = new RegExp(`^${readyWord} (\\S+)`);
  let started = false;
  return new Promise((resolveUrl, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = ready.exec(line);
      if (m?.[1]) {
        started = true;
        resolveUrl(m[1]);
      }
    });
    child.once('exit', (code) => {
      if (stopping) return;
      const why = `${what} exited (${code ?? 'signal'}). Its last log lines:\n${log}`;
      // Before it was ready the caller hears of it; after, only the console can tell.
      if (started) say(why);
      else reject(new Error(why));
    });
  });
}

function printWelcome(
  appUrl: string,
  serverUrl: string,
  devices: string | null | 'electron',
  simUrl: string,
): void {
  const demo = JSON.parse(readFileSync(join(DATA_DIR, 'demo.json'), 'utf8')) as {
    pairingCodes: { storeId: string; code: string }[];
    cashiers: { storeId: string; name: string; pin: string }[];
    codes: Record<string, string[]>;
    batches: { id: string; kind: string; name: string }[];
    managers: { username: string; password: string }[];
  };
  const pairing = demo.pairingCodes[0];
  const cashier = demo.cashiers.find((c) => c.storeId === pairing?.storeId) ?? demo.cashiers[0];
  say();
  say('Tillpoint is running.');
  say(`  Cashier app:  ${appUrl}   (open it in Chrome or Chromium)`);
  say(`  Sync server:  ${serverUrl}`);
  say(`  WeChat Pay:   simulator on ${simUrl} (no network; keys made for this run)`);
  const manager = demo.managers[0];
  say(
    `  Console:      ${serverUrl}/manager/   (chain manager ${manager?.username ?? '?'} / ${manager?.password ?? '?'}; a store manager: ${demo.managers[1]?.username ?? '?'} / ${demo.managers[1]?.password ?? '?'})`,
  );
  say(`  Data:         ${DATA_DIR}`);
  if (devices === 'electron')
    say(
      '  Devices:      in the Electron window; set up scanners and printers on the Devices tab (F4)',
    );
  else if (devices !== null)
    say(
      `  Devices:      device host running on ${new URL(devices).host}; set up scanners and printers on the Devices tab (F4)`,
    );
  else say('  Devices:      no device host; keyboard-wedge scanners still work');
  say();
  if (pairing)
    say(
      `  1. Pair:   pairing code ${pairing.code} (store ${pairing.storeId}; each code works once — more in .data/server/demo.json)`,
    );
  if (cashier) say(`  2. Log in: PIN ${cashier.pin} (${cashier.name})`);
  const samples = demo.batches
    // Cash vouchers are valid in every demo store; other demo batches are scoped to some stores.
    .filter((b) => b.kind === 'cash')
    .flatMap((b) => (demo.codes[b.id] ?? []).slice(0, 2).map((code) => `${code}  (${b.name})`));
  if (samples.length > 0) {
    say('  3. Quick redeem (F2): type one of these codes and press Enter:');
    for (const s of samples.slice(0, 3)) say(`       ${s}`);
  }
  say('  4. WeChat Native payment: pick 微信 on the till, then pay as the customer would — open');
  say(`       ${simUrl}/sim/customer   (the customer's phone: one click pays the QR code shown)`);
  say(`     or: curl -X POST ${simUrl}/sim/scan -H 'content-type: application/json' \\`);
  say(`           -d '{"code_url":"weixin://wxpay/…"}'   (the code_url the till shows)`);
  say();
  say('Press Ctrl-C to stop.');
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('\nStopping…');
  await staticServer?.close();
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((done) => {
          if (c.exitCode !== null || c.signalCode !== null) return done();
          c.once('exit', () => done());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
