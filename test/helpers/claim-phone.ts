import type { TestServer } from './server-harness';

/** A phone's browser on the claim pages: it keeps the device cookie the page sets. */
export function phone(server: TestServer) {
  let cookie = '';
  const send = async (method: 'GET' | 'POST', path: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(method === 'POST' ? { body: '' } : {}),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return { status: res.status, text: await res.text(), headers: res.headers };
  };
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
