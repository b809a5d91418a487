import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { editorOf, upsertProduct, upsertStore, upsertStoreGroup } from '../../catalog/stores';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';

/** Chain-wide catalog: stores, store groups (regions), products. Chain managers only. */
export function registerManagerCatalog(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.upsertStoreGroup, ({ actor, body, now }) =>
    ctx.storage.write((w) => upsertStoreGroup(w, editorOf(actor), body, now)),
  );
  registerRoute(app, ctx, ROUTES.upsertStore, ({ actor, body, now }) =>
    ctx.storage.write((w) => upsertStore(w, editorOf(actor), body, now)),
  );
  registerRoute(app, ctx, ROUTES.upsertProduct, ({ actor, body, now }) =>
    ctx.storage.write((w) => upsertProduct(w, editorOf(actor), body, now)),
  );
}
