import type { ClientId, StoreId, TerminalId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { PendingOffline, ShiftReport } from '../../core/protocol';
import { shiftFigures } from '../../core/shifts/report';
import { kyselyOf, type Queryable } from '../db/prepared';
import type { ShiftTable } from '../db/schema';
import { HttpError } from '../http/errors';
import { shiftLedger } from './ledger';

/** A terminal's shift row, or undefined. */
export async function shiftRow(
  db: Queryable,
  terminalId: string,
  shiftId: string,
): Promise<ShiftTable | undefined> {
  return kyselyOf(db)
    .selectFrom('shifts')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('id', '=', shiftId)
    .executeTakeFirst();
}

/** The terminal's open shift row, or undefined. */
export async function openShiftRow(
  db: Queryable,
  terminalId: string,
): Promise<ShiftTable | undefined> {
  return kyselyOf(db)
    .selectFrom('shifts')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
}

export function noSuchShift(terminalId: string, shiftId: string): HttpError {
  return new HttpError(
    404,
    'NOT_FOUND',
    `Terminal ${terminalId} has no shift ${shiftId}; open one first (POST /v1/shifts).`,
  );
}

/**
 * The report of a shift computed now from the ledger: an open shift's figures up to now, or, at
 * closing, the figures of the closed window (`closing` gives the close's own fields).
 */
export async function computeReport(
  db: Queryable,
  row: ShiftTable,
  closing: { closedAt: string; countedFen: Fen; pending: PendingOffline } | null,
): Promise<ShiftReport> {
  const figures = shiftFigures(
    await shiftLedger(db, {
      terminalId: row.terminal_id,
      shiftId: row.id,
      openedAt: row.opened_at,
      closedAt: closing?.closedAt ?? null,
      floatFen: Number(row.float_fen) as Fen,
      countedFen: closing?.countedFen ?? null,
    }),
  );
  return {
    shiftId: row.id as ClientId,
    storeId: row.store_id as StoreId,
    terminalId: row.terminal_id as TerminalId,
    cashierId: row.cashier_id,
    state: closing === null ? 'open' : 'closed',
    openedAt: row.opened_at,
    closedAt: closing?.closedAt ?? null,
    figures,
    pending: closing?.pending ?? null,
  };
}
