import {
  DEVICE_MODES,
  WINDOW_ROLES,
  type DeviceMode,
  type LaunchConfig,
  type WindowRole,
} from './launch';

/**
 * How the launch configuration travels from main to the preload: one command-line switch of the
 * renderer process (BrowserWindow `additionalArguments`), read synchronously by the sandboxed
 * preload from `process.argv`. This file imports no zod (only types and two constant lists), so
 * the preload stays small; its checks are the LaunchConfig schema's, restated by hand, and a
 * property test (launch-arg.test.ts) holds the two to the same verdicts.
 */
const PREFIX = '--tillpoint-launch=';

export function launchArgument(config: LaunchConfig): string {
  return `${PREFIX}${encodeURIComponent(JSON.stringify(config))}`;
}

/** The configuration in `argv`, or null if it is missing or not a valid one. */
export function readLaunchArgument(argv: readonly string[]): LaunchConfig | null {
  const arg = argv.find((a) => a.startsWith(PREFIX));
  if (arg === undefined) return null;
  try {
    return checkLaunchConfig(JSON.parse(decodeURIComponent(arg.slice(PREFIX.length))));
  } catch {
    return null;
  }
}

/** The WHATWG URL parser, present in every runtime that loads core (core's lib names none). */
const { URL: Url } = globalThis as unknown as { URL: new (input: string) => { protocol: string } };

/** The value trimmed if it parses as a URL of one of these protocols (as z.url checks), else null. */
const urlWith = (value: unknown, protocols: readonly string[]): string | null => {
  if (typeof value !== 'string') return null;
  try {
    const trimmed = value.trim();
    return protocols.includes(new Url(trimmed).protocol) ? trimmed : null;
  } catch {
    return null;
  }
};

/** The same verdicts as `LaunchConfig.safeParse(value).success`, without zod. */
export function checkLaunchConfig(value: unknown): LaunchConfig | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).sort().join(',');
  if (keys !== 'deviceHostUrl,deviceMode,role,serverUrl') return null;
  const { deviceMode, role } = v;
  const serverUrl = v['serverUrl'] === null ? null : urlWith(v['serverUrl'], ['http:', 'https:']);
  if (serverUrl === null && v['serverUrl'] !== null) return null;
  const deviceHostUrl =
    v['deviceHostUrl'] === null ? null : urlWith(v['deviceHostUrl'], ['ws:', 'wss:']);
  if (deviceHostUrl === null && v['deviceHostUrl'] !== null) return null;
  if (!DEVICE_MODES.includes(deviceMode as DeviceMode)) return null;
  if (!WINDOW_ROLES.includes(role as WindowRole)) return null;
  if ((deviceMode === 'host') !== (deviceHostUrl !== null)) return null;
  if (role !== 'cashier' && deviceMode !== 'none') return null;
  return {
    serverUrl,
    deviceMode: deviceMode as DeviceMode,
    deviceHostUrl,
    role: role as WindowRole,
  };
}
