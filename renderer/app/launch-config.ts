import { z } from 'zod';
import {
  LAUNCH_BRIDGE_KEY,
  type LaunchBridge,
  type LaunchConfig,
  type WindowRole,
} from '../../core/desktop/launch';
import { LaunchConfig as LaunchConfigSchema } from '../../core/desktop/launch-schema';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readonly [LAUNCH_BRIDGE_KEY]?: LaunchBridge;
  }
}

/** Each field on its own: a bad device host URL must not cost the app its sync server. */
const ConfigFile = z
  .object({
    serverUrl: z.url().optional().catch(undefined),
    deviceHostUrl: z
      .url({ protocol: /^wss?$/ })
      .optional()
      .catch(undefined),
  })
  .loose();

let loaded: Promise<LaunchConfig> | null = null;

/**
 * This window's launch configuration (core/desktop/launch.ts). In Electron, the preload's one
 * call, checked with the core schema. In a browser, first match wins for each field:
 * 1. `?server=URL` / `?deviceHost=URL` / `?role=customer` in the page address, before or after
 *    the `#` (a thin-client counter, a test, a second-screen browser window);
 * 2. `config.json` served beside the app: {"serverUrl": "http://…", "deviceHostUrl": "ws://…"}
 *    (written by `npm start`); not asked for from a page without an origin (file://);
 * 3. for the server, null: the address saved when the terminal was paired.
 * Read once per window: config.json is fetched at most once.
 */
export function loadLaunchConfig(): Promise<LaunchConfig> {
  loaded ??= readLaunchConfig();
  return loaded;
}

/** The window's role, known at once (no config.json): the preload's, else `?role=`. */
export function windowRole(): WindowRole {
  const bridged = bridgedConfig();
  if (bridged !== null) return bridged.role;
  return pageQuery().get('role') === 'customer' ? 'customer' : 'cashier';
}

/**
 * The server address to offer on the pairing screen when none is configured: the page's own
 * origin when the page came from a web server (browser mode), else nothing to guess from.
 */
export function pageOriginGuess(): string {
  return /^https?:$/.test(location.protocol) && location.origin !== 'null' ? location.origin : '';
}

function bridgedConfig(): LaunchConfig | null {
  const bridge = window[LAUNCH_BRIDGE_KEY];
  if (bridge === undefined) return null;
  const parsed = LaunchConfigSchema.safeParse(bridge.launchConfig());
  if (!parsed.success)
    throw new Error(
      `The desktop app gave this window an invalid configuration: ${parsed.error.message}`,
    );
  return parsed.data;
}

/** `?a=b` of the address, merged with a `#/route?a=b` query (the hash wins: it is the route's). */
function pageQuery(): URLSearchParams {
  const query = new URLSearchParams(location.search);
  const hashQuery = location.hash.indexOf('?');
  if (hashQuery >= 0) {
    for (const [key, value] of new URLSearchParams(location.hash.slice(hashQuery + 1)))
      query.set(key, value);
  }
  return query;
}

async function readLaunchConfig(): Promise<LaunchConfig> {
  const bridged = bridgedConfig();
  if (bridged !== null) return bridged;
  const query = pageQuery();
  const role = windowRole();
  let serverUrl = query.get('server') || null;
  let deviceHostUrl = query.get('deviceHost') || null;
  if (serverUrl === null || (deviceHostUrl === null && role === 'cashier')) {
    const file = await readConfigFile();
    serverUrl ??= file.serverUrl ?? null;
    deviceHostUrl ??= file.deviceHostUrl ?? null;
  }
  if (role === 'customer') return { serverUrl, deviceMode: 'none', deviceHostUrl: null, role };
  return {
    serverUrl,
    deviceMode: deviceHostUrl === null ? 'none' : 'host',
    deviceHostUrl,
    role,
  };
}

async function readConfigFile(): Promise<z.infer<typeof ConfigFile>> {
  // A file:// page (or any opaque origin) has no server beside it to ask.
  if (location.origin === 'null' || location.protocol === 'file:') return {};
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) return {};
    const parsed = ConfigFile.safeParse(await response.json());
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
