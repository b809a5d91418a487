/**
 * The Electron main process: hosts the device services, opens the cashier
 * window and (on a second screen) the customer display, and starts the
 * bundled sync server in single-store mode or uses the chain's server URL.
 * Thin on purpose: the logic lives in modules that tests run without Electron.
 */
import { app, BrowserWindow, ipcMain, screen, session, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DeviceManager } from '../native/manager/deviceManager';
import { customerDisplay } from './displays';
import { serveDevicesOverIpc } from './ipc';
import { contentSecurityPolicy, isTrustedSender } from './security';
import { startServerBundle, type BundledServer } from './serverProcess';

const here = dirname(fileURLToPath(import.meta.url));
/** TILLPOINT_DEV_URL: the Vite dev server during development; else the built renderer. */
const appUrl =
  process.env.TILLPOINT_DEV_URL ?? pathToFileURL(join(here, '../renderer/index.html')).href;
/** TILLPOINT_CHAIN_URL: chain mode, connect to this server instead of starting one. */
const chainUrl = process.env.TILLPOINT_CHAIN_URL ?? null;

let server: BundledServer | null = null;
let devices: DeviceManager | null = null;

const secureWindow = (display: 'cashier' | 'customer', bounds?: Electron.Rectangle) =>
  new BrowserWindow({
    ...(bounds ?? { width: 1280, height: 800 }),
    fullscreen: display === 'customer',
    show: false,
    title: display === 'cashier' ? 'Tillpoint' : 'Tillpoint customer display',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });

function lockDown(win: BrowserWindow): void {
  // The app never opens other pages: no navigation away, no new windows.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedSender(url, appUrl)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  if (chainUrl === null) {
    // dist/electron/main.js → dist/server/cli.js, inside the asar archive like main
    // itself, so its external packages resolve from the app's node_modules.
    server = await startServerBundle(
      {
        execPath: process.execPath,
        bundlePath: join(here, '../server/cli.js'),
        dataDir: join(userData, 'server'),
        env: process.env,
      },
      { onLog: (line) => console.log(`[server] ${line}`) },
    );
  }
  const serverUrl = chainUrl ?? server?.url ?? null;
  const csp = contentSecurityPolicy(serverUrl === null ? null : new URL(serverUrl).origin);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );

  devices = await DeviceManager.start({ settingsDir: join(userData, 'devices') });

  const cashier = secureWindow('cashier');
  lockDown(cashier);
  const windows: BrowserWindow[] = [cashier];
  const other = customerDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
  if (other !== null) {
    const customer = secureWindow('customer', other.bounds);
    lockDown(customer);
    windows.push(customer);
    void customer.loadURL(`${appUrl}#/customer?server=${encodeURIComponent(serverUrl ?? '')}`);
  }

  serveDevicesOverIpc({
    ipcMain,
    service: devices,
    isTrusted: (event: IpcMainInvokeEvent) =>
      windows.some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id) &&
      isTrustedSender(event.senderFrame?.url, appUrl),
    targets: () => windows.filter((w) => !w.isDestroyed()).map((w) => w.webContents),
  });
  await cashier.loadURL(`${appUrl}#/?server=${encodeURIComponent(serverUrl ?? '')}`);
}

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(start, (error: unknown) => {
  console.error('Tillpoint could not start', error);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  quitting = true;
  event.preventDefault();
  void Promise.allSettled([devices?.close(), server?.stop()]).then(() => app.quit());
});
