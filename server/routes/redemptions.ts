import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../core/protocol';
import type { AppContext } from '../context';
import { registerRoute, StoredJson } from '../http/route';
import { AttemptReads } from '../ledger/attempt-reads';
import { redeemBatch, redeemOne } from '../ledger/push';
import { settleRedemption } from '../ledger/settle';

/** 500 queued redemptions with full carts can pass 1 MB; everything else keeps the 1 MB limit. */
const PUSH_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * Redeem, push, settle. The ledger answers with stored JSON text, sent as it
 * is: a replay is the first answer byte for byte.
 */
export function registerRedemptions(app: FastifyInstance, ctx: AppContext): void {
  const deps = { keys: ctx.keys, batches: ctx.batches };
  // SQLite reads in the job: no round trip to save, and one writer sees everything.
  const reads = ctx.storage.dialect === 'postgres' ? new AttemptReads(ctx.storage.reader) : null;
  registerRoute(
    app,
    ctx,
    ROUTES.redeem,
    async ({ actor, body, now }) =>
      new StoredJson(await redeemOne(ctx.storage, deps, actor, body, now, reads)),
  );
  registerRoute(
    app,
    ctx,
    ROUTES.pushBatch,
    async ({ actor, body, now }) => {
      const outcomes = await redeemBatch(ctx.storage, deps, actor, body.items, now);
      return new StoredJson(`{"outcomes":[${outcomes.join(',')}]}`);
    },
    { bodyLimit: PUSH_BODY_LIMIT },
  );
  registerRoute(
    app,
    ctx,
    ROUTES.settle,
    async ({ actor, params, now }) =>
      new StoredJson(await settleRedemption(ctx.storage, actor, params.id, now)),
  );
}
