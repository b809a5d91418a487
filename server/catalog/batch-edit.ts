import type { BatchRow, UpdateBatchRequest } from '../../core/protocol';
import type { Batch } from '../../core/vouchers';
import { appendAudit } from '../audit/chain';
import type { WriteTx } from '../db/storage';
import { appendChanges } from '../feed/changes';
import { HttpError } from '../http/errors';
import type { Editor } from './stores';

/**
 * Replaces a batch's rules, checked against the version the manager edited: when someone saved
 * it since, VERSION_CONFLICT names who and when, and nothing is written. The state is not an
 * edit (pause, resume and revoke go through setBatchState with a reason), so it is kept.
 * A retry of a save that went through (same requestId, the version it made) gets that batch.
 */
export async function updateBatch(
  w: WriteTx,
  editor: Editor,
  id: string,
  request: UpdateBatchRequest,
  now: string,
): Promise<BatchRow> {
  if (request.batch.id !== id)
    throw new HttpError(
      400,
      'VALIDATION_FAILED',
      `The batch in the body is ${request.batch.id}, the path names ${id}; a batch's id cannot change.`,
      [{ path: 'batch.id', message: `must be ${id}` }],
    );
  const row = await w.trx
    .selectFrom('batches')
    .select(['doc', 'version', 'updated_by', 'updated_at', 'last_request_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new HttpError(404, 'NOT_FOUND', `There is no batch ${id}; check the id.`);
  const version = Number(row.version);
  const before = JSON.parse(row.doc) as Batch;
  const view = (batch: Batch, v: number, by: string | null, at: string | null): BatchRow => ({
    batch,
    version: v,
    issued: 0,
    redeemed: 0,
    updatedBy: by as BatchRow['updatedBy'],
    updatedAt: at,
  });
  if (row.last_request_id === request.requestId && version === request.version + 1)
    return view(before, version, row.updated_by, row.updated_at);
  if (version !== request.version)
    throw new HttpError(
      409,
      'VERSION_CONFLICT',
      `Batch ${id} was changed by ${row.updated_by ?? 'someone'} at ${row.updated_at ?? 'an unknown time'} (now version ${version}, your edit was made on ${request.version}); reload it and make your change again.`,
    );
  const after: Batch = { ...request.batch, state: before.state };
  await w.trx
    .updateTable('batches')
    .set({
      doc: JSON.stringify(after),
      version: version + 1,
      updated_by: editor.actor,
      updated_at: now,
      last_request_id: request.requestId,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .execute();
  await appendChanges(w, [{ change: { type: 'batch', batch: after }, batchId: id }], now);
  await appendAudit(
    w,
    {
      ...editor,
      storeId: null,
      action: 'batch.updated',
      subject: `batch:${id}`,
      before,
      after,
    },
    now,
  );
  return view(after, version + 1, editor.actor, now);
}
