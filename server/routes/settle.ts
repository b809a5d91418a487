import type { FastifyInstance } from 'fastify';
import { ClientId } from '../../core/ids';
import { SettleRequest } from '../../core/protocol';
import { authenticateTerminal } from '../auth/actors';
import type { AppContext } from '../context';
import { parseOr400 } from '../http/errors';
import { settleRedemption } from '../ledger/settle';

/**
 * POST /v1/redemptions/:id/settle: the final outcome of one of this terminal's
 * redemptions whose online request went unanswered, never redeeming it
 * (ledger/settle.ts).
 */
export function registerSettle(app: FastifyInstance, ctx: AppContext): void {
  app.post('/v1/redemptions/:id/settle', async (request, reply) => {
    const now = ctx.now();
    const id = parseOr400(
      ClientId,
      (request.params as { id?: unknown }).id,
      'redemption id in the path (the UUID the terminal gave the redemption)',
    );
    parseOr400(SettleRequest, request.body, 'settle request (send {})');
    const actor = await authenticateTerminal(ctx.storage.db, request, now);
    const body = await settleRedemption(ctx.storage, actor, id, now);
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
