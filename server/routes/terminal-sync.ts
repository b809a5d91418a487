import type { FastifyInstance } from 'fastify';
import type { StoreId, VoucherCode as VoucherCodeType } from '../../core/ids';
import { VoucherCode } from '../../core/ids';
import { AllowanceRequest, ChangesQuery, type CodeState } from '../../core/protocol';
import type { Batch } from '../../core/vouchers';
import { authenticateTerminal } from '../auth/actors';
import type { AppContext } from '../context';
import { batchReaches, readChangesPage, visibleBatchIds } from '../feed/changes';
import { decodeCursor } from '../feed/cursor';
import { HttpError, parseOr400 } from '../http/errors';
import { limiterKey, rateLimitError } from '../http/rate-limit';
import { issueLease } from '../ledger/lease';

/** The terminal's pull side: change feed, offline allowance, code look-up. */
export function registerTerminalSync(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.storage.db;

  app.get('/v1/changes', async (request, reply) => {
    const actor = await authenticateTerminal(db, request, ctx.now());
    const query = parseOr400(ChangesQuery, request.query, 'changes query');
    const since = decodeCursor(query.since);
    if (!since.ok) throw new HttpError(400, 'BAD_REQUEST', since.message);
    const visible = await visibleBatchIds(db, actor.storeId, actor.groupIds);
    const page = await readChangesPage(db, since.value, query.limit, visible);
    return reply.type('application/json; charset=utf-8').send(page);
  });

  app.post('/v1/allowance', async (request) => {
    const now = ctx.now();
    const actor = await authenticateTerminal(db, request, now);
    const body = parseOr400(
      AllowanceRequest,
      request.body,
      'allowance request (send {"requestId": "<uuid>"})',
    );
    return ctx.storage.write((w) => issueLease(w, actor, body.requestId, now));
  });

  app.get(
    '/v1/codes/:code',
    {
      config: {
        rateLimit: {
          max: ctx.limits.lookupPerMinute,
          timeWindow: 60_000,
          keyGenerator: limiterKey,
          errorResponseBuilder: rateLimitError('code look-ups'),
        },
      },
    },
    async (request) => {
      const actor = await authenticateTerminal(db, request, ctx.now());
      const code: VoucherCodeType = parseOr400(
        VoucherCode,
        (request.params as { code?: unknown }).code,
        'voucher code',
      );
      const row = await db
        .selectFrom('codes')
        .innerJoin('batches', 'batches.id', 'codes.batch_id')
        .select([
          'codes.code',
          'codes.batch_id',
          'codes.state',
          'codes.claimed_at',
          'codes.redeemed_at',
          'codes.redeemed_store_id',
          'batches.doc',
          'batches.version',
        ])
        .where('codes.code', '=', code)
        .executeTakeFirst();
      const batch: Batch | null = row
        ? ctx.batches.get(row.batch_id, Number(row.version), row.doc)
        : null;
      if (!row || !batch || !batchReaches(batch, actor.storeId, actor.groupIds))
        throw new HttpError(
          404,
          'NOT_FOUND',
          `No voucher ${code} is known for store ${actor.storeId}; check the code, or the voucher is not valid at this store.`,
        );
      const state: CodeState = {
        code,
        batchId: batch.id,
        state: row.state as CodeState['state'],
        claimedAt: row.claimed_at,
        redeemed:
          row.redeemed_at !== null && row.redeemed_store_id !== null
            ? { at: row.redeemed_at, storeId: row.redeemed_store_id as StoreId }
            : null,
      };
      return { code: state, batch };
    },
  );
}
