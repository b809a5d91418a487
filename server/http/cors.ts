import type { FastifyInstance } from 'fastify';

/**
 * The renderer runs on another origin (a static server, or file:// in
 * Electron). Auth is bearer tokens, never cookies, so `*` exposes nothing a
 * page could not already send.
 */
export function installCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Expose-Headers', 'Retry-After');
  });
  app.options('/*', async (_request, reply) => {
    reply
      .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Cashier-Session, X-Till-Queue')
      .header('Access-Control-Max-Age', '600')
      .code(204)
      .send();
  });
}
