import type { FastifyInstance } from 'fastify';
import { BatchPushRequest, RedemptionRequest } from '../../core/protocol';
import { authenticateTerminal } from '../auth/actors';
import type { AppContext } from '../context';
import { parseOr400 } from '../http/errors';
import { redeemBatch, redeemOne } from '../ledger/push';

/** 500 queued redemptions with full carts can pass 1 MB; everything else keeps the 1 MB limit. */
const PUSH_BODY_LIMIT = 4 * 1024 * 1024;

/** POST /v1/redemptions and POST /v1/redemptions/batch. */
export function registerRedemptions(app: FastifyInstance, ctx: AppContext): void {
  const deps = { keys: ctx.keys, batches: ctx.batches };

  app.post('/v1/redemptions', async (request, reply) => {
    const now = ctx.now();
    const req = parseOr400(RedemptionRequest, request.body, 'redemption');
    const actor = await authenticateTerminal(ctx.storage.db, request, now);
    const body = await redeemOne(ctx.storage, deps, actor, req, now);
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.post('/v1/redemptions/batch', { bodyLimit: PUSH_BODY_LIMIT }, async (request, reply) => {
    const now = ctx.now();
    const push = parseOr400(BatchPushRequest, request.body, 'batch push');
    const actor = await authenticateTerminal(ctx.storage.db, request, now);
    const outcomes = await redeemBatch(ctx.storage, deps, actor, push.items, now);
    return reply
      .type('application/json; charset=utf-8')
      .send(`{"outcomes":[${outcomes.join(',')}]}`);
  });
}
