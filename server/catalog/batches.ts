import type { BatchId, VoucherCode } from '../../core/ids';
import { issueSignedCode } from '../../core/codes';
import { nodeCodeSigner } from '../auth/code-signer';
import { assertNever } from '../../core/result';
import type { CodeState, ImportCodesResponse } from '../../core/protocol';
import type { Batch, BatchState } from '../../core/vouchers';
import { appendAudit } from '../audit/chain';
import type { Storage, WriteTx } from '../db/storage';
import { appendChanges, type FeedEntry } from '../feed/changes';
import { HttpError } from '../http/errors';
import type { Editor } from './stores';

/** Creates a batch; its id must be new. */
export async function createBatch(
  w: WriteTx,
  editor: Editor,
  batch: Batch,
  now: string,
): Promise<Batch> {
  const exists = await w.trx
    .selectFrom('batches')
    .select('id')
    .where('id', '=', batch.id)
    .executeTakeFirst();
  if (exists)
    throw new HttpError(409, 'CONFLICT', `Batch ${batch.id} already exists; choose another id.`);
  await w.trx
    .insertInto('batches')
    .values({
      id: batch.id,
      doc: JSON.stringify(batch),
      state: batch.state,
      version: 1,
      next_serial: 1,
      created_at: now,
      updated_by: editor.actor,
      updated_at: now,
      last_request_id: null,
    })
    .execute();
  await appendChanges(w, [{ change: { type: 'batch', batch }, batchId: batch.id }], now);
  await appendAudit(
    w,
    {
      ...editor,
      storeId: null,
      action: 'batch.created',
      subject: `batch:${batch.id}`,
      before: null,
      after: batch,
    },
    now,
  );
  return batch;
}

/**
 * Codes go only into a batch that can redeem them: a revoked batch never will
 * again, an expired one is over, and a paused one is on hold by a manager's
 * decision, so the manager resumes it first rather than having codes slip in.
 */
function refuseClosedBatch(batch: Batch, action: 'issue' | 'import'): void {
  const done = action === 'issue' ? 'issued' : 'imported';
  switch (batch.state) {
    case 'active':
      return;
    case 'paused':
      throw new HttpError(
        409,
        'CONFLICT',
        `Batch ${batch.id} is paused, so no codes can be ${done} into it; resume it (state "active") and ${action} them again.`,
      );
    case 'revoked':
      throw new HttpError(
        409,
        'CONFLICT',
        `Batch ${batch.id} is revoked, so no codes can be ${done} into it, and revoking is final; create a new batch for these codes.`,
      );
    case 'expired':
      throw new HttpError(
        409,
        'CONFLICT',
        `Batch ${batch.id} has expired, so no codes can be ${done} into it; create a new batch for these codes.`,
      );
    default:
      return assertNever(batch.state, 'batch state');
  }
}

export async function loadBatch(w: Pick<WriteTx, 'trx'>, id: string): Promise<Batch> {
  const row = await w.trx
    .selectFrom('batches')
    .select('doc')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new HttpError(404, 'NOT_FOUND', `There is no batch ${id}; check the id.`);
  return JSON.parse(row.doc) as Batch;
}

/** Pause, resume or revoke. Revoking is final: a revoked batch cannot come back. */
export async function setBatchState(
  w: WriteTx,
  editor: Editor,
  id: string,
  state: BatchState,
  now: string,
  reason: string | null = null,
): Promise<Batch> {
  const before = await loadBatch(w, id);
  if (before.state === state) return before;
  if (before.state === 'revoked')
    throw new HttpError(
      409,
      'CONFLICT',
      `Batch ${id} is revoked; revoking is final. Create a new batch instead.`,
    );
  const after: Batch = { ...before, state };
  await w.trx
    .updateTable('batches')
    .set((eb) => ({
      doc: JSON.stringify(after),
      state,
      version: eb('version', '+', 1),
      updated_by: editor.actor,
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
  await appendChanges(w, [{ change: { type: 'batch', batch: after }, batchId: id }], now);
  await appendAudit(
    w,
    {
      ...editor,
      storeId: null,
      action: `batch.${state === 'active' ? 'resumed' : state}`,
      subject: `batch:${id}`,
      before: { state: before.state },
      after: reason === null ? { state } : { state, reason },
    },
    now,
  );
  return after;
}

export interface IssuedCode {
  readonly code: VoucherCode;
  readonly serial: number;
}

/**
 * Issues `count` signed codes: reserves a serial range (its own short
 * transaction, so two issuances never share serials), signs outside any
 * transaction, then stores codes and their feed rows in one transaction.
 * A crash between the two only leaves unused serials.
 */
export async function issueCodes(
  storage: Storage,
  privateKeyHex: string,
  editor: Editor,
  batchId: string,
  count: number,
  claimedAt: string | null,
  now: () => string,
): Promise<IssuedCode[]> {
  const first = await storage.write(async (w) => {
    refuseClosedBatch(await loadBatch(w, batchId), 'issue');
    const row = await w.trx
      .updateTable('batches')
      .set((eb) => ({ next_serial: eb('next_serial', '+', count) }))
      .where('id', '=', batchId)
      .returning('next_serial')
      .executeTakeFirstOrThrow();
    return Number(row.next_serial) - count;
  });
  const signer = nodeCodeSigner(privateKeyHex);
  const codes: IssuedCode[] = [];
  for (let i = 0; i < count; i++) {
    const serial = first + i;
    codes.push({
      code: issueSignedCode(signer, { batchId: batchId as BatchId, serial }),
      serial,
    });
  }
  await storeCodes(
    storage,
    editor,
    batchId,
    codes.map((c) => ({ code: c.code, claimedAt })),
    true,
    now(),
  );
  return codes;
}

/** A code to store and when it counts as claimed. */
export interface NewCode {
  readonly code: VoucherCode;
  readonly claimedAt: string | null;
}

/**
 * Inserts codes of a batch and their feed rows. Codes already present (in
 * any batch) are returned as duplicates: skipped, or, with `allOrNothing`,
 * nothing at all is stored when there is any.
 */
export async function storeCodes(
  storage: Storage,
  editor: Editor,
  batchId: string,
  codes: readonly NewCode[],
  signed: boolean,
  now: string,
  allOrNothing = false,
): Promise<VoucherCode[]> {
  return storage.write(async (w) => {
    refuseClosedBatch(await loadBatch(w, batchId), signed ? 'issue' : 'import');
    const duplicates: VoucherCode[] = [];
    const fresh: NewCode[] = [];
    const unique = [...new Map(codes.map((c) => [c.code, c])).values()];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const existing = new Set(
        (
          await w.trx
            .selectFrom('codes')
            .select('code')
            .where(
              'code',
              'in',
              chunk.map((c) => c.code),
            )
            .execute()
        ).map((r) => r.code),
      );
      for (const c of chunk) {
        if (existing.has(c.code)) duplicates.push(c.code);
        else fresh.push(c);
      }
    }
    if (allOrNothing && duplicates.length > 0) return duplicates;
    for (let i = 0; i < fresh.length; i += 500) {
      await w.trx
        .insertInto('codes')
        .values(
          fresh.slice(i, i + 500).map(({ code, claimedAt }) => ({
            code,
            batch_id: batchId,
            state: 'issued',
            signed: signed ? 1 : 0,
            claimed_at: claimedAt,
            redeemed_at: null,
            redeemed_store_id: null,
            redeemed_terminal_id: null,
            redemption_id: null,
          })),
        )
        .execute();
    }
    const entries: FeedEntry[] = fresh.map(({ code, claimedAt }) => {
      const state: CodeState = {
        code,
        batchId: batchId as BatchId,
        state: 'issued',
        claimedAt,
        redeemed: null,
      };
      return { change: { type: 'code', code: state }, batchId };
    });
    await appendChanges(w, entries, now);
    const claimTimes = new Set(fresh.map((c) => c.claimedAt));
    await appendAudit(
      w,
      {
        ...editor,
        storeId: null,
        action: signed ? 'codes.issued' : 'codes.imported',
        subject: `batch:${batchId}`,
        before: null,
        after: {
          count: fresh.length,
          duplicates: duplicates.length,
          // One claim time for the lot, or "per row" when the file gave each its own.
          claimedAt: claimTimes.size > 1 ? 'per row' : (fresh[0]?.claimedAt ?? null),
        },
      },
      now,
    );
    return duplicates;
  });
}

/** Imports unsigned codes from elsewhere (e.g. a group-buy platform); codes already known are listed, not stored. */
export async function importCodes(
  storage: Storage,
  editor: Editor,
  batchId: string,
  codes: readonly VoucherCode[],
  claimedAt: string | null,
  now: string,
): Promise<ImportCodesResponse> {
  const rows = codes.map((code) => ({ code, claimedAt }));
  const duplicates = await storeCodes(storage, editor, batchId, rows, false, now);
  return { imported: new Set(codes).size - duplicates.length, duplicates };
}
