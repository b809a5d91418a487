import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { HttpError } from '../http/errors';
import { registerRoute } from '../http/route';
import { notReadyBecause } from '../ops/readiness';

/** /healthz: the process answers. /readyz: the database answers, is migrated, and has disk room; else 503 saying which. */
export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.health, async () => ({ ok: true }) as const);
  registerRoute(app, ctx, ROUTES.ready, async () => {
    const reason = await notReadyBecause(ctx.storage.db, ctx.disk);
    if (reason === null) return { ok: true } as const;
    throw new HttpError(503, 'UNAVAILABLE', `Not ready: ${reason}.`);
  });
}
