import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { registerRoute, StoredJson } from '../http/route';
import type { Payments } from '../payments/service';
import { recordBatch, recordOne } from '../sales/push';
import { saleView } from '../sales/view';

/** 200 queued sales of up to 500 lines each can pass 1 MB. */
const PUSH_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * Record a sale, push queued sales (the follower closes the WeChat orders of sales they void).
 * Stored answers are sent as they are: a replay is byte-identical.
 */
export function registerSales(app: FastifyInstance, ctx: AppContext, payments: Payments): void {
  registerRoute(
    app,
    ctx,
    ROUTES.recordSale,
    async ({ actor, body, now }) =>
      new StoredJson(await recordOne(ctx.storage, payments.follower, actor, body, now)),
  );
  registerRoute(
    app,
    ctx,
    ROUTES.pushSales,
    async ({ actor, body, now }) => {
      const outcomes = await recordBatch(ctx.storage, payments.follower, actor, body.items, now);
      return new StoredJson(`{"outcomes":[${outcomes.join(',')}]}`);
    },
    { bodyLimit: PUSH_BODY_LIMIT },
  );
  registerRoute(app, ctx, ROUTES.sale, async ({ actor, params }) =>
    saleView(ctx.storage.db, actor.storeId, params.id),
  );
}
