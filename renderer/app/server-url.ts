import { z } from 'zod';

/** Where this window's sync server and device host are, as far as the page and config.json say. */
export interface AppConfig {
  readonly serverUrl: string | null;
  /** The browser-mode device host (ws://127.0.0.1:PORT/devices?token=…). */
  readonly deviceHostUrl: string | null;
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

let loaded: Promise<AppConfig> | null = null;

/**
 * How the renderer finds its sync server and device host, first match wins for each:
 * 1. `?server=URL` / `?deviceHost=URL` in the page address (a thin-client counter, a test);
 * 2. `config.json` served beside the app: {"serverUrl": "http://…", "deviceHostUrl": "ws://…"}
 *    (written by `npm start`);
 * 3. for the server, the address saved when the terminal was paired; for devices, the Electron
 *    preload bridge, which the device client picks up by itself.
 * Read once per window: config.json is fetched at most once.
 */
export function loadAppConfig(): Promise<AppConfig> {
  loaded ??= readAppConfig();
  return loaded;
}

async function readAppConfig(): Promise<AppConfig> {
  const query = new URLSearchParams(location.search);
  const serverUrl = query.get('server') || null;
  const deviceHostUrl = query.get('deviceHost') || null;
  if (serverUrl !== null && deviceHostUrl !== null) return { serverUrl, deviceHostUrl };
  const file = await readConfigFile();
  return {
    serverUrl: serverUrl ?? file.serverUrl ?? null,
    deviceHostUrl: deviceHostUrl ?? file.deviceHostUrl ?? null,
  };
}

async function readConfigFile(): Promise<z.infer<typeof ConfigFile>> {
  if (location.protocol === 'file:') return {};
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) return {};
    const parsed = ConfigFile.safeParse(await response.json());
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
