import type { FastifyInstance } from 'fastify';
import { Product, StoreGroup, StoreInput } from '../../../core/protocol';
import { authenticateUser, requireManager } from '../../auth/actors';
import { upsertProduct, upsertStore, upsertStoreGroup } from '../../catalog/stores';
import type { AppContext } from '../../context';
import { parseOr400 } from '../../http/errors';

/** Chain-wide catalog: stores, store groups (regions), products. Chain managers only. */
export function registerManagerCatalog(app: FastifyInstance, ctx: AppContext): void {
  const editorOf = async (request: Parameters<typeof authenticateUser>[1]) => {
    const user = await authenticateUser(ctx.storage.db, request, ctx.now());
    requireManager(user, null);
    return { actor: user.userId, terminalId: null };
  };
  app.post('/v1/manager/store-groups', async (request) => {
    const editor = await editorOf(request);
    const group = parseOr400(StoreGroup, request.body, 'store group');
    return ctx.storage.write((w) => upsertStoreGroup(w, editor, group, ctx.now()));
  });
  app.post('/v1/manager/stores', async (request) => {
    const editor = await editorOf(request);
    const store = parseOr400(StoreInput, request.body, 'store');
    return ctx.storage.write((w) => upsertStore(w, editor, store, ctx.now()));
  });
  app.post('/v1/manager/products', async (request) => {
    const editor = await editorOf(request);
    const product = parseOr400(Product, request.body, 'product');
    return ctx.storage.write((w) => upsertProduct(w, editor, product, ctx.now()));
  });
}
