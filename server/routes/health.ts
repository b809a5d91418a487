import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';
import { isReady } from '../db/connect';

/** /healthz: the process answers. /readyz: the database answers and is migrated. */
export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    if (await isReady(ctx.storage.db)) return { ok: true };
    return reply.code(503).send({
      code: 'UNAVAILABLE',
      message: 'The database is not reachable or not migrated yet; retry in a few seconds.',
    });
  });
}
