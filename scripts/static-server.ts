/**
 * Serves the built renderer (dist/renderer) on 127.0.0.1 for browser mode, `npm start`, the
 * end-to-end tests and the app bench, with correct MIME types and a /config.json that tells the
 * app where its sync server and (browser mode) its device host are.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  readonly url: string;
  /** Points the app at another sync server (the next /config.json answers with it). */
  setServerUrl(url: string | null): void;
  /** Points the app at a device host (ws://127.0.0.1:PORT/devices?token=…), or none. */
  setDeviceHostUrl(url: string | null): void;
  close(): Promise<void>;
}

export async function serveRenderer(options: {
  root: string;
  serverUrl: string | null;
  deviceHostUrl?: string | null;
  port?: number;
}): Promise<StaticServer> {
  const root = resolve(options.root);
  let serverUrl = options.serverUrl;
  let deviceHostUrl = options.deviceHostUrl ?? null;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      if (path === '/config.json') {
        const config = {
          ...(serverUrl ? { serverUrl } : {}),
          ...(deviceHostUrl ? { deviceHostUrl } : {}),
        };
        const any = Object.keys(config).length > 0;
        res.writeHead(any ? 200 : 404, {
          'Content-Type': MIME['.json'],
          'Cache-Control': 'no-store',
        });
        res.end(JSON.stringify(config));
        return;
      }
      const file = normalize(join(root, path === '/' ? 'index.html' : path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const info = await stat(file);
        if (!info.isFile()) throw new Error('not a file');
        res.writeHead(200, {
          'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
          'Cache-Control': path.startsWith('/assets/')
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
      } catch {
        res.writeHead(404, { 'Content-Type': MIME['.txt'] }).end(`Not found: ${path}\n`);
      }
    })();
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    setServerUrl: (url) => {
      serverUrl = url;
    },
    setDeviceHostUrl: (url) => {
      deviceHostUrl = url;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
