import type { LaunchConfig } from '../core/desktop/launch';

/**
 * The app's own origin, written out: Node's URL gives "null" as the origin of a non-special
 * scheme such as app://, so origins are compared as scheme + host.
 */
export function originOf(url: string | undefined): string | null {
  if (url === undefined || url === '') return null;
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? null : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

const wsOrigin = (origin: string): string => origin.replace(/^http/, 'ws');

/**
 * The renderer's Content Security Policy (header and meta alike). `connect-src` admits the sync
 * server (HTTP and its WebSocket) and the device host of the configuration, nothing else: the
 * server's port is known only at start (the bundled server listens on port 0).
 */
export function contentSecurityPolicy(
  config: Pick<LaunchConfig, 'serverUrl' | 'deviceHostUrl'>,
): string {
  const connect = ["'self'"];
  const server = originOf(config.serverUrl ?? undefined);
  if (server !== null) connect.push(server, wsOrigin(server));
  const deviceHost = originOf(config.deviceHostUrl ?? undefined);
  if (deviceHost !== null) connect.push(deviceHost);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/i;

/**
 * index.html with its CSP meta set to `csp`, so the page carries the same policy as the header
 * (the built page's meta is browser mode's, which cannot know its server in advance).
 */
export function withCspMeta(html: string, csp: string): string {
  if (!CSP_META.test(html)) throw new Error('index.html has no Content-Security-Policy meta');
  // frame-ancestors is for headers only; in a meta Chromium ignores it with a console warning.
  const meta = csp
    .split('; ')
    .filter((d) => !d.startsWith('frame-ancestors '))
    .join('; ');
  return html.replace(CSP_META, (_m, open: string, close: string) => `${open}${meta}${close}`);
}

/**
 * Whether an IPC message or a navigation comes from / goes to our own app page: same scheme and
 * host as the app URL (app://tillpoint in production, the Vite dev server in development).
 */
export function isAppUrl(url: string | undefined, appUrl: string): boolean {
  const origin = originOf(url);
  return origin !== null && origin === originOf(appUrl);
}

/** What the web-contents-created guard does with a navigation: the app never leaves its page. */
export function navigationVerdict(url: string, appUrl: string): 'allow' | 'deny' {
  return isAppUrl(url, appUrl) ? 'allow' : 'deny';
}

/**
 * What main does with a window.open from the page: the cashier's "customer display" button
 * (`?role=customer` on the app page) makes main open the customer window itself, with its own
 * role and preload; anything else opens nothing.
 */
export function windowOpenVerdict(url: string, appUrl: string): 'customer-display' | 'deny' {
  if (!isAppUrl(url, appUrl)) return 'deny';
  return new URL(url).searchParams.get('role') === 'customer' ? 'customer-display' : 'deny';
}

/**
 * Chromium's local network access: the page must reach its sync server on loopback (the
 * bundled one) or on the shop's LAN (a chain server); which servers, the CSP's connect-src says.
 */
const NETWORK_PERMISSIONS: ReadonlySet<string> = new Set([
  'local-network-access',
  'local-network',
  'loopback-network',
]);

/**
 * Permissions the page may have: reaching its server, nothing else. Devices go through main
 * (never WebHID, WebSerial or WebUSB from the page), and a till needs no camera, microphone,
 * location or notifications.
 */
export function permissionVerdict(permission: string): boolean {
  return NETWORK_PERMISSIONS.has(permission);
}
