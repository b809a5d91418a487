import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { productsPage, storesPage } from '../../catalog/console-lists';
import { editorOf, upsertProduct, upsertStore, upsertStoreGroup } from '../../catalog/stores';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';

/**
 * Chain-wide catalog: stores, store groups (regions), products. Changes are chain managers';
 * the lists are for any manager (a store manager sees their own store).
 */
export function registerManagerCatalog(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.stores, ({ actor, query }) =>
    storesPage(ctx.storage.db, actor, query),
  );
  registerRoute(app, ctx, ROUTES.products, ({ actor, query }) =>
    productsPage(ctx.storage.db, actor, query),
  );
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
