import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { isReady } from '../db/connect';
import { HttpError } from '../http/errors';
import { registerRoute } from '../http/route';

/** /healthz: the process answers. /readyz: the database answers and is migrated. */
export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.health, async () => ({ ok: true }) as const);
  registerRoute(app, ctx, ROUTES.ready, async () => {
    if (await isReady(ctx.storage.db)) return { ok: true } as const;
    throw new HttpError(
      503,
      'UNAVAILABLE',
      'The database is not reachable or not migrated yet; retry in a few seconds.',
    );
  });
}
