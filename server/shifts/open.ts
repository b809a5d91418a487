import { hash } from 'node:crypto';
import type { OpenShiftRequest, ShiftReport } from '../../core/protocol';
import { canonicalJson } from '../audit/canonical';
import { appendAudit } from '../audit/chain';
import type { TerminalActor } from '../auth/actors';
import type { Storage, WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { StoredJson } from '../http/route';
import { computeReport, openShiftRow, shiftRow } from './report';

const requestHash = (body: unknown): string => hash('sha256', canonicalJson(body), 'base64url');

/**
 * Opens a shift on the actor's till. The same id and float again (an answer lost) gets the shift
 * as it stands; the same id with another float is refused; a second open shift is refused.
 */
export async function openShift(
  storage: Storage,
  actor: TerminalActor,
  req: OpenShiftRequest,
  now: string,
): Promise<ShiftReport | StoredJson> {
  const hashOf = requestHash(req);
  try {
    const opened = await storage.write((w) => insertShift(w, actor, req, hashOf, now));
    if (opened) return await computeReport(storage.db, opened, null);
  } catch (e) {
    // Two opens racing on PostgreSQL meet at the primary key or the one-open index.
    if (e instanceof HttpError) throw e;
    if ((await shiftRow(storage.db, actor.terminalId, req.id)) === undefined) {
      await refuseSecondOpen(storage, actor);
      throw e;
    }
  }
  return replay(storage, actor, req.id, hashOf);
}

/** Inserts the shift, or returns null when this id is already stored (a repeat). */
async function insertShift(
  w: WriteTx,
  actor: TerminalActor,
  req: OpenShiftRequest,
  hashOf: string,
  now: string,
) {
  if ((await shiftRow(w, actor.terminalId, req.id)) !== undefined) return null;
  const open = await openShiftRow(w, actor.terminalId);
  if (open !== undefined) throw secondOpen(actor, open.id);
  const row = {
    terminal_id: actor.terminalId,
    id: req.id,
    store_id: actor.storeId,
    cashier_id: actor.cashierId,
    opened_at: now,
    float_fen: req.floatFen,
    open_hash: hashOf,
    closed_at: null,
    closed_by: null,
    counted_fen: null,
    close_hash: null,
    report: null,
  };
  await w.trx.insertInto('shifts').values(row).execute();
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: 'shift.opened',
      subject: `shift:${req.id}`,
      before: null,
      after: { floatFen: req.floatFen },
    },
    now,
  );
  return row;
}

async function refuseSecondOpen(storage: Storage, actor: TerminalActor): Promise<void> {
  const open = await openShiftRow(storage.db, actor.terminalId);
  if (open !== undefined) throw secondOpen(actor, open.id);
}

function secondOpen(actor: TerminalActor, openId: string): HttpError {
  return new HttpError(
    409,
    'CONFLICT',
    `Terminal ${actor.terminalId} already has shift ${openId} open; close it before opening another.`,
  );
}

/** The stored shift for a repeated open: the closed report as stored, or the open one up to now. */
async function replay(
  storage: Storage,
  actor: TerminalActor,
  shiftId: string,
  hashOf: string,
): Promise<ShiftReport | StoredJson> {
  const row = await shiftRow(storage.db, actor.terminalId, shiftId);
  if (row === undefined) throw new Error(`shift ${shiftId} vanished after it was stored`);
  if (row.open_hash !== hashOf)
    throw new HttpError(
      409,
      'IDEMPOTENCY_KEY_REUSED',
      `Shift ${shiftId} was already opened by this terminal with another float; a new shift needs a new id.`,
    );
  if (row.report !== null) return new StoredJson(row.report);
  return computeReport(storage.db, row, null);
}
