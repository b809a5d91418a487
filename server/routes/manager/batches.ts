import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { createBatch, importCodes, issueCodes, setBatchState } from '../../catalog/batches';
import { editorOf } from '../../catalog/stores';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';

/** Batches and their codes. Chain managers only: batches are chain-wide. */
export function registerManagerBatches(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.createBatch, ({ actor, body, now }) =>
    ctx.storage.write((w) => createBatch(w, editorOf(actor), body, now)),
  );
  registerRoute(app, ctx, ROUTES.setBatchState, ({ actor, params, body, now }) =>
    ctx.storage.write((w) => setBatchState(w, editorOf(actor), params.id, body.state, now)),
  );
  registerRoute(app, ctx, ROUTES.issueCodes, async ({ actor, params, body }) => {
    const codes = await issueCodes(
      ctx.storage,
      ctx.keys.codePrivateKeyHex,
      editorOf(actor),
      params.id,
      body.count,
      body.claimedAt,
      () => ctx.now(),
    );
    function* lines(): Generator<string> {
      yield 'code,batch_id,serial\n';
      for (const c of codes) yield `${c.code},${params.id},${c.serial}\n`;
    }
    return { filename: `${params.id}-codes.csv`, lines: lines() };
  });
  registerRoute(app, ctx, ROUTES.importCodes, ({ actor, params, body, now }) =>
    importCodes(ctx.storage, editorOf(actor), params.id, body.codes, body.claimedAt, now),
  );
}
