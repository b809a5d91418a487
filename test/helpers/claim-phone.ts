import { request } from 'node:http';
import type { TestServer } from './server-harness';

/**
 * A phone's browser on the claim pages: it keeps the device cookie the page sets. `from` is the
 * phone's client address (a loopback one, 127.x.y.z), so phones can be many customers behind as
 * many addresses, as the per-address rate limit sees them; by default 127.0.0.1.
 */
export function phone(server: TestServer, from?: string) {
  let cookie = '';
  const target = new URL(server.url);
  const send = (method: 'GET' | 'POST', path: string) =>
    new Promise<{ status: number; text: string; headers: Headers }>((resolve, reject) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path,
          method,
          agent: false,
          ...(from ? { localAddress: from } : {}),
          headers: {
            ...(cookie ? { cookie } : {}),
            ...(method === 'POST'
              ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': 0 }
              : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            const set = res.headers['set-cookie']?.[0];
            if (set) cookie = set.split(';')[0] ?? '';
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers))
              if (typeof value === 'string') headers.set(name, value);
            resolve({ status: res.statusCode ?? 0, text, headers });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  return {
    open: (id: string) => send('GET', `/claim/${id}`),
    claim: (id: string) => send('POST', `/claim/${id}`),
    /** Any other GET with the phone's cookie, e.g. an image the page shows. */
    get: (path: string) => send('GET', path),
  };
}

/** The codes a claim page shows, in order. */
export const shownCodes = (html: string): string[] =>
  [...html.matchAll(/<p class="code">([^<]+)<\/p>/g)].map((m) => m[1] ?? '');

/** The addresses of the images (QR, barcode) a claim page shows, in order. */
export const shownImages = (html: string): string[] =>
  [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1] ?? '');
