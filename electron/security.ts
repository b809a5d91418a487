/**
 * The renderer's Content Security Policy. `connect-src` admits the sync
 * server the app talks to (its origin is known only at start: a child
 * process on an ephemeral port, or the chain's URL) and nothing else.
 */
export function contentSecurityPolicy(serverOrigin: string | null): string {
  const connect = ["'self'"];
  if (serverOrigin !== null) {
    connect.push(serverOrigin, serverOrigin.replace(/^http/, 'ws'));
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Whether an IPC message comes from our own app page, not from a page that
 * navigated elsewhere or an embedded frame. `appUrl` is the cashier window's
 * URL: a file:// URL in production, the Vite dev server in development.
 */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  if (frameUrl === undefined || frameUrl === '') return false;
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') {
    return frame.protocol === 'file:' && frame.pathname === app.pathname;
  }
  return frame.origin === app.origin;
}
