import type { ClientId } from '../../core/ids';
import type { RedemptionResponse } from '../../core/protocol';
import type { Reason } from '../../core/reasons';
import { appendAudit } from '../audit/chain';
import type { TerminalActor } from '../auth/actors';
import type { Storage, WriteTx } from '../db/storage';
import { AlreadyRecorded } from './redeem';
import { localDate } from './time';

/**
 * The refusal stored under an id the server never received. No voucher is
 * named: the settle call carries only the id, and the code column is left
 * empty (it is not a VoucherCode), so the row never counts as a use of any code.
 */
const NOT_RECEIVED: Reason = { code: 'NOT_RECEIVED' };
const NO_CODE = '';

/** This terminal's stored row for `id`: ids are scoped to the terminal that made them. */
async function storedFor(
  db: Storage['db'] | WriteTx['trx'],
  terminalId: string,
  id: string,
): Promise<{ status: string; response: string } | undefined> {
  return db
    .selectFrom('redemptions')
    .select(['status', 'response'])
    .where('terminal_id', '=', terminalId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Settles a redemption whose online request went unanswered, without ever
 * redeeming: in one write transaction, the stored RedemptionResponse of this
 * terminal's `id` when the server has one (byte for byte, as a replay returns
 * it), else a refusal with reason NOT_RECEIVED, stored under the terminal's
 * `id` with no request hash. A late copy of the lost request then finds that
 * refusal through redeem()'s replay check and redeems nothing, so the id is
 * decided exactly once whichever arrives first. Settling again returns the same
 * bytes. Another terminal settling the same id settles only its own.
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
  const audit = {
    actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
    terminalId: actor.terminalId,
    storeId: actor.storeId,
    action: 'redemption.settled',
    subject: `redemption:${id}`,
  };
  try {
    return await storage.write(async (w) => {
      const existing = await storedFor(w.trx, actor.terminalId, id);
      if (existing) {
        await appendAudit(
          w,
          { ...audit, before: { status: existing.status }, after: { status: existing.status } },
          now,
        );
        return existing.response;
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
          request_hash: null,
        })
        .onConflict((oc) => oc.columns(['terminal_id', 'id']).doNothing())
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
    if (!(e instanceof AlreadyRecorded)) throw e;
    const stored = await storedFor(storage.db, actor.terminalId, id);
    if (stored === undefined) throw e;
    return stored.response;
  }
}
