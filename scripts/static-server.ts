/**
 * Serves the built renderer (dist/renderer) on 127.0.0.1 for browser mode, `npm start`, the
 * end-to-end tests and the app bench, with a /config.json that tells the app where its sync
 * server and (browser mode) its device host are. Files go out through `send` (Express's file
 * sender): MIME types, ranges, conditional requests, and a 400 for a path that does not decode,
 * rather than hand-written path handling.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import send from 'send';

/** Vite puts content-hashed files under /assets/: a new build gives them new names. */
const ASSET_PREFIX = '/assets/';

function plain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(`${text}\n`);
}

const REFUSALS: Record<number, string> = {
  400: 'Bad request: the path is not valid percent-encoded UTF-8.',
  403: 'Forbidden: the path leaves the app folder.',
  404: 'Not found.',
};

/** Sends one file of `root`, answering every refusal as plain text and never throwing. */
function sendFile(root: string, req: IncomingMessage, res: ServerResponse, path: string): void {
  send(req, path, { root, index: ['index.html'], cacheControl: false, etag: true })
    .on('headers', (response: ServerResponse) => {
      response.setHeader(
        'Cache-Control',
        path.startsWith(ASSET_PREFIX) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    })
    .on('directory', () => plain(res, 404, REFUSALS[404] ?? ''))
    .on('error', (error: { status?: number }) => {
      const status = error.status ?? 500;
      plain(res, status, REFUSALS[status] ?? 'The file could not be read.');
    })
    .pipe(res);
}

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
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    // Still percent-encoded: send decodes it, and refuses what does not decode.
    const path = (req.url ?? '/').replace(/[?#].*$/s, '');
    if (path === '/config.json') {
      const config = {
        ...(serverUrl ? { serverUrl } : {}),
        ...(deviceHostUrl ? { deviceHostUrl } : {}),
      };
      const any = Object.keys(config).length > 0;
      res.writeHead(any ? 200 : 404, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(JSON.stringify(config));
      return;
    }
    sendFile(root, req, res, path);
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
