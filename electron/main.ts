/**
 * The Electron main process: hosts the device services, opens the cashier window and (on a
 * second screen) the customer display, and starts the bundled sync server in single-store mode
 * or uses the chain's server URL. Thin on purpose: the decisions live in modules that tests run
 * without Electron (launch, security, window-roles, app-protocol, serverProcess, startup, logs).
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  session,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { launchArgument } from '../core/desktop/launch-arg';
import type { WindowRole } from '../core/desktop/launch';
import { DeviceManager } from '../native/manager/deviceManager';
import { APP_SCHEME, APP_URL, resolveAppAsset } from './app-protocol';
import { customerDisplay } from './displays';
import { serveDevicesOverIpc } from './ipc';
import { serveLogsOverIpc } from './log-ipc';
import { serverPlan, windowLaunch, windowUrl } from './launch';
import { openLog } from './logs';
import {
  contentSecurityPolicy,
  navigationVerdict,
  permissionVerdict,
  windowOpenVerdict,
  withCspMeta,
} from './security';
import { startServerBundle, type BundledServer } from './serverProcess';
import { runStartup } from './startup';
import { utilityFork } from './utility-server';
import { deviceCallVerdict, WindowRoles } from './window-roles';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
/** TILLPOINT_DEV_URL: the Vite dev server during development; else the built renderer. */
const devUrl = process.env['TILLPOINT_DEV_URL'] ?? null;
const appUrl = devUrl ?? APP_URL;
const production = app.isPackaged && devUrl === null;

let server: BundledServer | null = null;
let devices: DeviceManager | null = null;
let log: { log: Logger; close(): Promise<void> } | null = null;
const roles = new WindowRoles();
const windows = new Map<WindowRole, BrowserWindow>();

// Must happen before `ready`: app:// is a standard, secure origin with fetch, like https.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);

/** Every webContents, ours or not (a devtools page, a future webview): no leaving the app. */
function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (navigationVerdict(url, appUrl) === 'deny') event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (navigationVerdict(url, appUrl) === 'deny') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function serveApp(csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(request.url, rendererDir);
    if (asset === null) return new Response('Not found', { status: 404 });
    const file = await readFile(asset.path);
    const body = asset.path.endsWith('index.html')
      ? withCspMeta(file.toString('utf8'), csp)
      : new Uint8Array(file);
    return new Response(body, {
      headers: { 'content-type': asset.contentType, 'content-security-policy': csp },
    });
  });
  // The dev server's pages get the same policy as a header.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permissionVerdict(permission)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission) =>
    permissionVerdict(permission),
  );
  session.defaultSession.setDevicePermissionHandler(() => false);
}

function openWindow(role: WindowRole, serverUrl: string, bounds?: Electron.Rectangle): void {
  const win = new BrowserWindow({
    ...(bounds ?? { width: 1280, height: 800 }),
    // On its own screen; opened by the button on a single-screen counter, a window of its own.
    fullscreen: role === 'customer' && bounds !== undefined,
    show: false,
    title: role === 'cashier' ? 'Tillpoint' : 'Tillpoint customer display',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      additionalArguments: [launchArgument(windowLaunch(role, serverUrl))],
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: !production,
    },
  });
  const id = win.webContents.id;
  roles.set(id, role);
  windows.set(role, win);
  win.on('closed', () => {
    roles.delete(id);
    windows.delete(role);
  });
  if (role === 'cashier') {
    // Replaces the deny-all handler of guardWebContents for this window: its "customer
    // display" button (window.open of ?role=customer) has main open the customer window.
    win.webContents.setWindowOpenHandler(({ url }) => {
      if (windowOpenVerdict(url, appUrl) === 'customer-display') {
        const open = windows.get('customer');
        if (open !== undefined) open.focus();
        else openWindow('customer', serverUrl);
      }
      return { action: 'deny' };
    });
  }
  win.once('ready-to-show', () => win.show());
  void win.loadURL(windowUrl(appUrl, role));
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  log = await openLog(join(userData, 'logs'));
  const logger = log.log;
  if (production) Menu.setApplicationMenu(null);

  const plan = serverPlan(process.env);
  if (!plan.ok) throw new Error(plan.message);
  if (plan.value.kind === 'bundled') {
    const serverLog = logger.child({ process: 'server' });
    server = await startServerBundle(
      {
        fork: utilityFork,
        // dist/electron/main.js → dist/server/cli.js, inside the asar archive like main itself.
        bundlePath: join(here, '../server/cli.js'),
        dataDir: join(userData, 'server'),
        env: { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' },
      },
      { onLog: (line) => serverLog.info({ line }) },
    );
  }
  const serverUrl = plan.value.kind === 'chain' ? plan.value.url : (server?.url ?? '');
  logger.info({ serverUrl, plan: plan.value.kind }, 'sync server');
  serveApp(contentSecurityPolicy({ serverUrl, deviceHostUrl: null }));

  /** Device calls and the logs call are the cashier window's alone, decided by the sender. */
  const fromCashierWindow =
    (what: string) =>
    (event: IpcMainInvokeEvent): boolean => {
      const verdict = deviceCallVerdict(
        { webContentsId: event.sender.id, frameUrl: event.senderFrame?.url },
        roles,
        appUrl,
      );
      if (verdict !== 'allow') logger.warn({ verdict }, `${what} refused`);
      return verdict === 'allow';
    };
  serveLogsOverIpc({
    ipcMain,
    dir: join(userData, 'logs'),
    isTrusted: fromCashierWindow('logs call'),
  });

  devices = await DeviceManager.start({ settingsDir: join(userData, 'devices') });
  serveDevicesOverIpc({
    ipcMain,
    service: devices,
    isTrusted: fromCashierWindow('device call'),
    // Scans, status and print jobs go to the cashier window only.
    targets: () =>
      roles
        .eventReceivers()
        .map((id) => [...windows.values()].find((w) => !w.isDestroyed() && w.webContents.id === id))
        .filter((w) => w !== undefined)
        .map((w) => w.webContents),
  });

  openWindow('cashier', serverUrl);
  const other = customerDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
  if (other !== null) openWindow('customer', serverUrl, other.bounds);
}

if (!app.requestSingleInstanceLock()) {
  // Another Tillpoint runs: it gets focus (second-instance below); this one ends here, before
  // it registers anything or starts a second server on the same data directory.
  app.exit(0);
} else {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('second-instance', () => {
    const cashier = windows.get('cashier');
    if (cashier === undefined) return;
    if (cashier.isMinimized()) cashier.restore();
    cashier.focus();
  });
  void app.whenReady().then(() =>
    runStartup(start, {
      showError: (title, message) => dialog.showErrorBox(title, message),
      exit: (code) => {
        void Promise.allSettled([devices?.close(), server?.stop()]).then(() => app.exit(code));
      },
      log: (message, error) => {
        if (log) log.log.error({ err: error }, message);
        else console.error(message, error);
      },
    }),
  );
  app.on('window-all-closed', () => app.quit());

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void Promise.allSettled([devices?.close(), server?.stop()])
      .then(() => log?.close())
      .then(() => app.quit());
  });
}
