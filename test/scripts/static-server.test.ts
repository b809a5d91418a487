import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRenderer, type StaticServer } from '../../scripts/static-server';

describe('the renderer static server', () => {
  let root: string;
  let app: StaticServer;
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, app.url), init);
  /** fetch() resolves dot segments before sending; node:http sends the path as written. */
  const rawStatus = (path: string) =>
    new Promise<number | undefined>((resolve, reject) => {
      const { hostname, port } = new URL(app.url);
      request({ host: hostname, port, path }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tillpoint-static-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Tillpoint</title>');
    writeFileSync(join(root, 'assets', 'app-3f2a.js'), 'console.log("till");');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    app = await serveRenderer({ root, serverUrl: 'http://127.0.0.1:1' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the app page, uncached, at /', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(await r.text()).toContain('<title>Tillpoint</title>');
  });

  it('serves hashed assets with their MIME type, cached for good', async () => {
    const r = await get('/assets/app-3f2a.js?v=1');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await r.text()).toBe('console.log("till");');
    const head = await get('/assets/app-3f2a.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers a path that is not valid percent-encoding with 400 and keeps serving', async () => {
    for (const bad of ['/assets/%E0%A4%A', '/%FF', '/assets/%']) {
      const r = await get(bad);
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('not valid percent-encoded UTF-8');
    }
    expect((await get('/')).status).toBe(200);
  });

  it('refuses a NUL in the path with 400', async () => {
    expect((await get('/index.html%00.js')).status).toBe(400);
  });

  it('never serves outside its folder, nor dotfiles', async () => {
    for (const escape of ['/assets/../../etc/passwd', '/assets/%2e%2e/%2e%2e/etc/passwd'])
      expect(await rawStatus(escape)).toBe(403);
    expect((await get('/.env')).status).toBe(404);
  });

  it('answers a missing file with a plain 404 that is not cached', async () => {
    const r = await get('/assets/gone-0000.js');
    expect(r.status).toBe(404);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await get('/assets')).status).toBe(404);
  });

  it('tells the app where its servers are, and refuses writes', async () => {
    const config = await get('/config.json');
    expect(await config.json()).toEqual({ serverUrl: 'http://127.0.0.1:1' });
    app.setDeviceHostUrl('ws://127.0.0.1:2/devices?token=t');
    expect(await (await get('/config.json')).json()).toEqual({
      serverUrl: 'http://127.0.0.1:1',
      deviceHostUrl: 'ws://127.0.0.1:2/devices?token=t',
    });
    const post = await get('/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
  });
});
