import type { CurrentShift, ShiftReport } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';
import type { Queryable } from '../db/prepared';
import { StoredJson } from '../http/route';
import { computeReport, noSuchShift, openShiftRow, shiftRow } from './report';

/** A shift of the actor's till: the stored report once closed, the figures up to now while open. */
export async function shiftReport(
  db: Queryable,
  actor: TerminalActor,
  shiftId: string,
): Promise<ShiftReport | StoredJson> {
  const row = await shiftRow(db, actor.terminalId, shiftId);
  if (row === undefined) throw noSuchShift(actor.terminalId, shiftId);
  if (row.report !== null) return new StoredJson(row.report);
  return computeReport(db, row, null);
}

/** The till's open shift, if it has one. */
export async function currentShift(db: Queryable, actor: TerminalActor): Promise<CurrentShift> {
  const row = await openShiftRow(db, actor.terminalId);
  return { shift: row === undefined ? null : await computeReport(db, row, null) };
}
