/**
 * The launch contract of a desktop window: what the Electron main process tells each window
 * (through the preload's one call) and what browser mode reads from the page address and
 * config.json. One shape for both, so the renderer cannot tell which started it. Zod-free, for
 * the preload; the schema that checks it is in launch-schema.ts.
 */
export const WINDOW_ROLES = ['cashier', 'customer'] as const;
/** cashier: the till itself. customer: the second-screen display, with no devices and no scans. */
export type WindowRole = (typeof WINDOW_ROLES)[number];

export const DEVICE_MODES = ['ipc', 'host', 'none'] as const;
/**
 * ipc: the Electron preload's device bridge. host: the browser-mode device host over WebSocket
 * (`deviceHostUrl`). none: this window has no devices (the customer display).
 */
export type DeviceMode = (typeof DEVICE_MODES)[number];

export interface LaunchConfig {
  /** The sync server: the bundled one on loopback, the chain's, or null (use the paired one). */
  readonly serverUrl: string | null;
  readonly deviceMode: DeviceMode;
  /** Only in `host` mode: ws://127.0.0.1:PORT/devices?token=… */
  readonly deviceHostUrl: string | null;
  readonly role: WindowRole;
}

/**
 * The preload's bridge, exposed as `window[LAUNCH_BRIDGE_KEY]`. A function, not a value, so the
 * object the page holds cannot be edited into another configuration.
 */
export interface LaunchBridge {
  launchConfig(): LaunchConfig;
}
export const LAUNCH_BRIDGE_KEY = 'tillpointLaunch';
