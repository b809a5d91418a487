import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../core/protocol';
import { createBatch, importCodes, issueCodes, setBatchState } from '../../catalog/batches';
import { updateBatch } from '../../catalog/batch-edit';
import { batchRow, batchesPage } from '../../catalog/batch-rows';
import { codeDetail } from '../../catalog/code-detail';
import { codesPage } from '../../catalog/codes-page';
import { importCodesCsv } from '../../catalog/code-import';
import { editorOf } from '../../catalog/stores';
import type { AppContext } from '../../context';
import { registerRoute } from '../../http/route';

/**
 * Batches and their codes. Changes are chain managers' (batches are chain-wide); a store manager
 * reads the batches their store may redeem.
 */
export function registerManagerBatches(app: FastifyInstance, ctx: AppContext): void {
  registerRoute(app, ctx, ROUTES.createBatch, ({ actor, body, now }) =>
    ctx.storage.write((w) => createBatch(w, editorOf(actor), body, now)),
  );
  registerRoute(app, ctx, ROUTES.setBatchState, ({ actor, params, body, now }) =>
    ctx.storage.write((w) =>
      setBatchState(w, editorOf(actor), params.id, body.state, now, body.reason ?? null),
    ),
  );
  registerRoute(app, ctx, ROUTES.batches, ({ actor, query }) =>
    batchesPage(ctx.storage.db, actor, query),
  );
  registerRoute(app, ctx, ROUTES.batch, ({ actor, params }) =>
    batchRow(ctx.storage.db, actor, params.id),
  );
  registerRoute(app, ctx, ROUTES.updateBatch, async ({ actor, params, body, now }) => {
    const saved = await ctx.storage.write((w) =>
      updateBatch(w, editorOf(actor), params.id, body, now),
    );
    // The counts are read outside the write: they are figures to show, not part of the edit.
    const { issued, redeemed } = await batchRow(ctx.storage.db, actor, params.id);
    return { ...saved, issued, redeemed };
  });
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
  registerRoute(app, ctx, ROUTES.importCodesCsv, ({ actor, params, body, now }) =>
    importCodesCsv(ctx.storage, editorOf(actor), params.id, body.csv, body.claimedAt, now),
  );
  registerRoute(app, ctx, ROUTES.codes, ({ query }) => codesPage(ctx.storage.db, query));
  registerRoute(app, ctx, ROUTES.codeDetail, ({ actor, params }) =>
    codeDetail(ctx.storage.db, actor, params.code),
  );
  registerRoute(app, ctx, ROUTES.importCodes, ({ actor, params, body, now }) =>
    importCodes(ctx.storage, editorOf(actor), params.id, body.codes, body.claimedAt, now),
  );
}
