import { hash } from 'node:crypto';
import type { Fen } from '../../core/money';
import type { CloseShiftRequest } from '../../core/protocol';
import { canonicalJson } from '../audit/canonical';
import { appendAudit } from '../audit/chain';
import type { TerminalActor } from '../auth/actors';
import type { Storage, WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { StoredJson } from '../http/route';
import { computeReport, noSuchShift, shiftRow } from './report';

/**
 * Closes a shift with the cash counted: computes the report from the ledger and stores it with
 * the shift, in one transaction. A repeat of the same close gets the stored report byte for byte;
 * another count for a closed shift is refused (a recount is a new shift's business, not an edit).
 */
export async function closeShift(
  storage: Storage,
  actor: TerminalActor,
  shiftId: string,
  req: CloseShiftRequest,
  now: string,
): Promise<StoredJson> {
  const hashOf = hash('sha256', canonicalJson(req), 'base64url');
  const text = await storage.write((w) => closeInTx(w, actor, shiftId, req, hashOf, now));
  return new StoredJson(text);
}

async function closeInTx(
  w: WriteTx,
  actor: TerminalActor,
  shiftId: string,
  req: CloseShiftRequest,
  hashOf: string,
  now: string,
): Promise<string> {
  const row = await shiftRow(w, actor.terminalId, shiftId);
  if (row === undefined) throw noSuchShift(actor.terminalId, shiftId);
  if (row.report !== null) {
    if (row.close_hash === hashOf) return row.report;
    throw new HttpError(
      409,
      'IDEMPOTENCY_KEY_REUSED',
      `Shift ${shiftId} was already closed with another count; its report stands as stored.`,
    );
  }
  const report = await computeReport(w, row, {
    closedAt: now,
    countedFen: req.countedFen,
    pending: req.pending,
  });
  const text = JSON.stringify(report);
  // Conditional on still being open: on PostgreSQL two closes racing cannot both store a report.
  const moved = await w.trx
    .updateTable('shifts')
    .set({
      closed_at: now,
      closed_by: actor.cashierId,
      counted_fen: req.countedFen,
      close_hash: hashOf,
      report: text,
    })
    .where('terminal_id', '=', actor.terminalId)
    .where('id', '=', shiftId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1)
    throw new HttpError(
      409,
      'CONFLICT',
      `Shift ${shiftId} was closed meanwhile; ask for its report.`,
    );
  const { cash, sales } = report.figures;
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: 'shift.closed',
      subject: `shift:${shiftId}`,
      before: { floatFen: Number(row.float_fen) as Fen },
      after: {
        countedFen: cash.countedFen,
        expectedFen: cash.expectedFen,
        differenceFen: cash.differenceFen,
        sales: sales.count,
        salesFen: sales.amountFen,
        pending: req.pending,
      },
    },
    now,
  );
  return text;
}
