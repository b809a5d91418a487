import type { ClientId } from '../../core/ids';
import type { RedemptionResponse } from '../../core/protocol';
import type { Reason } from '../../core/reasons';
import { appendAudit } from '../audit/chain';
import type { Storage, WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import type { TerminalActor } from '../auth/actors';
import { AlreadyRecorded } from './redeem';
import { localDate } from './time';

/**
 * The refusal stored under an id the server never received. No voucher is
 * named: the settle call carries only the id, and the code column is left
 * empty (it is not a VoucherCode), so the row never counts as a use of any code.
 */
const NOT_RECEIVED: Reason = { code: 'NOT_RECEIVED' };
const NO_CODE = '';

interface Stored {
  readonly terminal_id: string;
  readonly status: string;
  readonly response: string;
}

async function storedFor(
  db: Storage['db'] | WriteTx['trx'],
  id: string,
): Promise<Stored | undefined> {
  return db
    .selectFrom('redemptions')
    .select(['terminal_id', 'status', 'response'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A terminal settles only its own redemptions; another's outcome is not told, only refused. */
function ownedBy(row: Stored, terminalId: string, id: string): string {
  if (row.terminal_id !== terminalId)
    throw new HttpError(
      403,
      'FORBIDDEN',
      `Redemption ${id} was not made by this terminal; a terminal can only settle its own redemptions.`,
    );
  return row.response;
}

/**
 * Settles a redemption whose online request went unanswered, without ever
 * redeeming: in one write transaction, the stored RedemptionResponse of `id`
 * when the server has one (byte for byte, as a replay returns it), else a
 * refusal with reason NOT_RECEIVED, stored under `id`. A late copy of the lost
 * request then finds that refusal through redeem()'s replay-by-id check and
 * redeems nothing, so the id is decided exactly once whichever arrives first.
 * Settling again returns the same bytes.
 *
 * On PostgreSQL a late copy racing this call may commit the id first: the
 * insert below then finds it taken (ON CONFLICT DO NOTHING after the other
 * commit), this attempt is rolled back, and the committed outcome is returned.
 */
export async function settleRedemption(
  storage: Storage,
  actor: TerminalActor,
  id: ClientId,
  now: string,
): Promise<string> {
  let terminalId: string | null = null;
  try {
    return await storage.write(async (w) => {
      terminalId = actor.terminalId;
      const audit = {
        actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
        terminalId: actor.terminalId,
        storeId: actor.storeId,
        action: 'redemption.settled',
        subject: `redemption:${id}`,
      };
      const existing = await storedFor(w.trx, id);
      if (existing) {
        const response = ownedBy(existing, actor.terminalId, id);
        await appendAudit(
          w,
          { ...audit, before: { status: existing.status }, after: { status: existing.status } },
          now,
        );
        return response;
      }
      const response = JSON.stringify({
        id,
        outcome: { status: 'rejected', reason: NOT_RECEIVED },
      } satisfies RedemptionResponse);
      const inserted = await w.trx
        .insertInto('redemptions')
        .values({
          id,
          code: NO_CODE,
          batch_id: null,
          store_id: actor.storeId,
          terminal_id: actor.terminalId,
          cashier_id: actor.cashierId,
          status: 'rejected',
          discount_fen: 0,
          day: localDate(now, actor.timeZone),
          customer_id: null,
          lease_id: null,
          at: now,
          recorded_at: now,
          response,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      if (inserted.length === 0) throw new AlreadyRecorded(id);
      await appendAudit(
        w,
        { ...audit, before: null, after: { status: 'rejected', reason: NOT_RECEIVED } },
        now,
      );
      return response;
    });
  } catch (e) {
    if (!(e instanceof AlreadyRecorded) || terminalId === null) throw e;
    const stored = await storedFor(storage.db, id);
    if (stored === undefined) throw e;
    return ownedBy(stored, terminalId, id);
  }
}
