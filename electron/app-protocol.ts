import { extname, join, normalize, sep } from 'node:path';

/**
 * The app's own scheme: the renderer loads from app://tillpoint/, a secure standard origin of
 * its own (IndexedDB, Web Locks, BroadcastChannel between its windows), instead of file://,
 * whose origin is "null" and which reaches every file on the disk.
 */
export const APP_SCHEME = 'app';
export const APP_URL = `${APP_SCHEME}://tillpoint/index.html`;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/**
 * The file under `rootDir` (dist/renderer) that an app:// request names, or null: another
 * host, a path that climbs out of the root, or a type the renderer does not ship.
 */
export function resolveAppAsset(
  requestUrl: string,
  rootDir: string,
): { readonly path: string; readonly contentType: string } | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'tillpoint') return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  if (relative === '/' || relative === '') relative = '/index.html';
  const root = normalize(rootDir);
  const path = normalize(join(root, relative));
  if (!path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) return null;
  const contentType = CONTENT_TYPES[extname(path).toLowerCase()];
  return contentType === undefined ? null : { path, contentType };
}
