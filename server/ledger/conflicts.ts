import type { BatchId, ClientId, StoreId, TerminalId, UserId, VoucherCode } from '../../core/ids';
import { DEFAULT_TIME_ZONE } from '../../core/time';
import type { Fen } from '../../core/money';
import type { CodeState, ConflictResolution, ConflictView } from '../../core/protocol';
import type { Reason } from '../../core/reasons';
import { assertNever } from '../../core/result';
import { appendAudit } from '../audit/chain';
import type { ConflictTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { appendChanges } from '../feed/changes';
import { HttpError } from '../http/errors';
import { countForReports } from '../reports/count';
import { redemptionRecord } from '../reports/records';

export function conflictView(row: ConflictTable): ConflictView {
  return {
    redemptionId: row.redemption_id as ClientId,
    code: row.code as VoucherCode,
    batchId: row.batch_id as BatchId | null,
    storeId: row.store_id as StoreId,
    terminalId: row.terminal_id as TerminalId,
    reason: JSON.parse(row.reason) as Reason,
    winnerRedemptionId: row.winner_redemption_id as ClientId | null,
    discountFen: Number(row.discount_fen) as Fen,
    at: row.at,
    createdAt: row.created_at,
    resolution: row.resolution as ConflictResolution | null,
    resolvedBy: row.resolved_by as UserId | null,
    resolvedAt: row.resolved_at,
  };
}

/**
 * A manager's decision on a conflict. accept_loss: the chain absorbs the
 * discount; a code still issued (an offline use beyond the allowance) is
 * marked redeemed by this redemption so it cannot be used again. void: the
 * code is voided everywhere. Resolving again with the same decision is a no-op.
 */
export async function resolveConflict(
  w: WriteTx,
  userId: string,
  redemptionId: string,
  resolution: ConflictResolution,
  visibleTo: string | null,
  now: string,
  note: string | null = null,
): Promise<ConflictView> {
  const row = await w.trx
    .selectFrom('conflicts')
    .selectAll()
    .where('redemption_id', '=', redemptionId)
    .executeTakeFirst();
  if (!row || (visibleTo !== null && row.store_id !== visibleTo))
    throw new HttpError(
      404,
      'NOT_FOUND',
      `There is no conflict for redemption ${redemptionId} that you can see.`,
    );
  if (row.resolution === resolution) return conflictView(row);
  if (row.resolution !== null)
    throw new HttpError(
      409,
      'CONFLICT',
      `This conflict was already resolved as ${row.resolution}; it cannot be changed.`,
    );
  const code = await w.trx
    .selectFrom('codes')
    .selectAll()
    .where('code', '=', row.code)
    .executeTakeFirst();
  let codeAfter: CodeState | null = null;
  if (code) {
    switch (resolution) {
      case 'accept_loss':
        if (code.state === 'issued') {
          await w.trx
            .updateTable('codes')
            .set({
              state: 'redeemed',
              redeemed_at: row.at,
              redeemed_store_id: row.store_id,
              redeemed_terminal_id: row.terminal_id,
              redemption_id: row.redemption_id,
            })
            .where('code', '=', row.code)
            .where('state', '=', 'issued')
            .execute();
          await countLoss(w, row, code.batch_id as BatchId, code.claimed_at);
          codeAfter = {
            code: row.code as VoucherCode,
            batchId: code.batch_id as BatchId,
            state: 'redeemed',
            claimedAt: code.claimed_at,
            redeemed: { at: row.at, storeId: row.store_id as StoreId },
          };
        }
        break;
      case 'void':
        if (code.state !== 'void') {
          await w.trx
            .updateTable('codes')
            .set({ state: 'void' })
            .where('code', '=', row.code)
            .execute();
          codeAfter = {
            code: row.code as VoucherCode,
            batchId: code.batch_id as BatchId,
            state: 'void',
            claimedAt: code.claimed_at,
            redeemed:
              code.redeemed_at && code.redeemed_store_id
                ? { at: code.redeemed_at, storeId: code.redeemed_store_id as StoreId }
                : null,
          };
        }
        break;
      default:
        assertNever(resolution, 'conflict resolution');
    }
  }
  await w.trx
    .updateTable('conflicts')
    .set({ resolution, resolved_by: userId, resolved_at: now })
    .where('terminal_id', '=', row.terminal_id)
    .where('redemption_id', '=', redemptionId)
    .execute();
  if (codeAfter)
    await appendChanges(
      w,
      [{ change: { type: 'code', code: codeAfter }, batchId: code?.batch_id ?? null }],
      now,
    );
  await appendAudit(
    w,
    {
      actor: userId,
      terminalId: null,
      storeId: row.store_id,
      action: `conflict.${resolution}`,
      subject: `redemption:${redemptionId}`,
      before: { resolution: null, codeState: code?.state ?? null },
      after: {
        resolution,
        codeState: codeAfter?.state ?? code?.state ?? null,
        ...(note === null ? {} : { note }),
      },
    },
    now,
  );
  return { ...conflictView(row), resolution, resolvedBy: userId as UserId, resolvedAt: now };
}

/** A code given up as a loss was taken by the refused redemption: the reports count it now. */
async function countLoss(
  w: WriteTx,
  row: ConflictTable,
  batchId: BatchId,
  claimedAt: string | null,
): Promise<void> {
  const store = await w.trx
    .selectFrom('stores')
    .select('time_zone')
    .where('id', '=', row.store_id)
    .executeTakeFirst();
  countForReports(
    w,
    [redemptionRecord(batchId, row.store_id, row.at, claimedAt, Number(row.discount_fen) as Fen)],
    store?.time_zone ?? DEFAULT_TIME_ZONE,
  );
}
