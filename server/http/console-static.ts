import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The console's policy: its own scripts and styles only, calls to this server only, never in a
 * frame. React sets styles through the CSSOM, which `style-src 'self'` allows.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PREFIX = '/manager';

/**
 * Serves the manager console from the Vite build (`dir` is dist/renderer: manager/index.html
 * and the shared assets/). Its pages live at /manager/…: every path that is not an asset gets
 * index.html (the console routes in the browser), and the assets are at /manager/assets/.
 * Without a build, /manager says how to make one instead of a bare 404.
 */
export async function serveConsole(app: FastifyInstance, dir: string | null): Promise<void> {
  const page = dir === null ? null : join(dir, 'manager', 'index.html');
  const built = page !== null && existsSync(page);
  app.addHook('onSend', async (request, reply) => {
    if (request.url === PREFIX || request.url.startsWith(`${PREFIX}/`)) {
      void reply.header('Content-Security-Policy', CONSOLE_CSP);
      void reply.header('X-Content-Type-Options', 'nosniff');
      void reply.header('Referrer-Policy', 'no-referrer');
    }
  });
  if (!built || dir === null) {
    const missing = async (_: unknown, reply: FastifyReply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The manager console is not built on this server; run `npm run build` and restart.');
    app.get(PREFIX, missing);
    app.get(`${PREFIX}/*`, missing);
    return;
  }
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: `${PREFIX}/assets/`,
    // Hashed file names: a build never changes a file under the same name.
    immutable: true,
    maxAge: '365d',
    index: false,
    wildcard: true,
  });
  const index = async (_: unknown, reply: FastifyReply) =>
    reply.header('Cache-Control', 'no-cache').sendFile('index.html', join(dir, 'manager'));
  app.get(PREFIX, async (_, reply) => reply.redirect(`${PREFIX}/`));
  app.get(`${PREFIX}/`, index);
  app.get(`${PREFIX}/*`, index);
}
