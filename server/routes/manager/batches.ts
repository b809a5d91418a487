import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BatchId } from '../../../core/ids';
import {
  BatchStateChange,
  ImportCodesRequest,
  IssueCodesRequest,
  type ImportCodesResponse,
} from '../../../core/protocol';
import { Batch } from '../../../core/vouchers';
import { authenticateUser, requireManager } from '../../auth/actors';
import { createBatch, issueCodes, setBatchState, storeCodes } from '../../catalog/batches';
import type { AppContext } from '../../context';
import { parseOr400 } from '../../http/errors';

/** Batches and their codes. Chain managers only: batches are chain-wide. */
export function registerManagerBatches(app: FastifyInstance, ctx: AppContext): void {
  const editorOf = async (request: FastifyRequest) => {
    const user = await authenticateUser(ctx.storage.db, request, ctx.now());
    requireManager(user, null);
    return { actor: user.userId, terminalId: null };
  };
  const batchIdOf = (request: FastifyRequest) =>
    parseOr400(BatchId, (request.params as { id?: unknown }).id, 'batch id');

  app.post('/v1/manager/batches', async (request, reply) => {
    const editor = await editorOf(request);
    const batch = parseOr400(Batch, request.body, 'batch');
    const created = await ctx.storage.write((w) => createBatch(w, editor, batch, ctx.now()));
    return reply.code(201).send(created);
  });

  app.post('/v1/manager/batches/:id/state', async (request) => {
    const editor = await editorOf(request);
    const id = batchIdOf(request);
    const change = parseOr400(BatchStateChange, request.body, 'batch state change');
    return ctx.storage.write((w) => setBatchState(w, editor, id, change.state, ctx.now()));
  });

  app.post('/v1/manager/batches/:id/codes', async (request, reply) => {
    const editor = await editorOf(request);
    const id = batchIdOf(request);
    const body = parseOr400(IssueCodesRequest, request.body, 'code issue request');
    const codes = await issueCodes(
      ctx.storage,
      ctx.keys.codePrivateKeyHex,
      editor,
      id,
      body.count,
      body.claimedAt,
      () => ctx.now(),
    );
    function* lines(): Generator<string> {
      yield 'code,batch_id,serial\n';
      for (const c of codes) yield `${c.code},${id},${c.serial}\n`;
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${id}-codes.csv"`)
      .send(Readable.from(lines()));
  });

  app.post('/v1/manager/batches/:id/import', async (request) => {
    const editor = await editorOf(request);
    const id = batchIdOf(request);
    const body = parseOr400(ImportCodesRequest, request.body, 'code import');
    const duplicates = await storeCodes(
      ctx.storage,
      editor,
      id,
      body.codes,
      body.claimedAt,
      false,
      ctx.now(),
    );
    const unique = new Set(body.codes).size;
    return { imported: unique - duplicates.length, duplicates } satisfies ImportCodesResponse;
  });
}
