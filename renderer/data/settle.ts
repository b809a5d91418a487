import type { RedemptionOutcome } from '../../core/protocol/index';
import type { ApiClient, ApiFailure } from './api-client';
import type { TillpointDb } from './db';
import type { Deps } from './deps';
import { serverDecided } from './push';
import type { RedemptionRecord, Settlement } from './records';

/** At most this many unconfirmed records are settled per wake-up of the drainer. */
export const SETTLE_BATCH = 20;

export type SettleRound =
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'settled';
      readonly count: number;
      /** Records whose code turned out to be used up while the customer was told "no". */
      readonly usedWhileRefused: number;
      /** More unconfirmed records wait than this round took. */
      readonly more: boolean;
    }
  | { readonly kind: 'failed'; readonly failure: ApiFailure; readonly count: number };

/**
 * Unconfirmed records in the order they were last touched: one the server keeps refusing (and
 * whose failure bumps updatedAt) does not keep the others waiting. There are few of them (each is
 * a timed-out request the offline rules refused), so reading them all is cheap.
 */
export async function nextToSettle(
  db: TillpointDb,
  limit = SETTLE_BATCH,
): Promise<{ records: RedemptionRecord[]; more: boolean }> {
  const all = await db.redemptions.where('state').equals('unconfirmed').sortBy('updatedAt');
  return { records: all.slice(0, limit), more: all.length > limit };
}

/**
 * Settles unconfirmed redemptions (redeem.ts, "Unconfirmed redemptions") with the sync server,
 * one `POST /v1/redemptions/:id/settle` each. The server answers with the outcome stored under
 * the id, or stores and returns a NOT_RECEIVED refusal, after which a late copy of the lost
 * request cannot redeem: either way the id is decided exactly once and nothing is redeemed by
 * settling. Nothing here is ever pushed. Run only by the drainer (one per terminal), after the
 * queue has drained. Stops at the first failure that looks like an outage; a definite refusal of
 * one record is noted on it and the round goes on.
 */
export async function settleUnconfirmed(
  db: TillpointDb,
  api: ApiClient,
  deps: Deps,
  limit = SETTLE_BATCH,
): Promise<SettleRound> {
  const { records, more } = await nextToSettle(db, limit);
  if (records.length === 0) return { kind: 'empty' };
  let count = 0;
  let usedWhileRefused = 0;
  let failure: ApiFailure | null = null;
  for (const record of records) {
    const answer = await api.settle(record.id);
    if (!answer.ok || answer.value.id !== record.id) {
      const problem = answer.ok ? mismatch(record.id, answer.value.id) : answer;
      await noteFailure(db, record.id, problem.message, deps.now());
      // Unreachable: the rest would fail the same way. Otherwise only this record is refused.
      if (problem.offline) return { kind: 'failed', failure: problem, count };
      failure ??= problem;
      continue;
    }
    const settled = await applySettlement(db, record.id, answer.value.outcome, deps.now());
    if (settled === null) continue;
    count += 1;
    if (settled === 'used_while_refused') usedWhileRefused += 1;
  }
  if (failure !== null) return { kind: 'failed', failure, count };
  return { kind: 'settled', count, usedWhileRefused, more };
}

function mismatch(asked: string, answered: string): ApiFailure {
  return {
    ok: false,
    code: 'BAD_RESPONSE',
    message: `The server settled redemption ${answered} when asked for ${asked}; the terminal keeps it unconfirmed and will ask again.`,
    status: 200,
    offline: false,
  };
}

/** Writes the server's answer onto the record, only if it is still unconfirmed. */
async function applySettlement(
  db: TillpointDb,
  id: RedemptionRecord['id'],
  outcome: RedemptionOutcome,
  at: number,
): Promise<Settlement | null> {
  return db.transaction('rw', db.redemptions, async () => {
    const current = await db.redemptions.get(id);
    if (current?.state !== 'unconfirmed') return null;
    const changes = settlementChanges(outcome, current, at);
    await db.redemptions.put({ ...current, ...changes });
    return changes.settled;
  });
}

async function noteFailure(
  db: TillpointDb,
  id: RedemptionRecord['id'],
  message: string,
  at: number,
): Promise<void> {
  await db.transaction('rw', db.redemptions, async () => {
    const current = await db.redemptions.get(id);
    if (current?.state !== 'unconfirmed') return;
    await db.redemptions.put({
      ...current,
      attempts: current.attempts + 1,
      lastError: message,
      updatedAt: at,
    });
  });
}

/**
 * The record once the server has settled it. The customer was told "no", so:
 * - accepted: the lost request did redeem the code. The record becomes 'synced' (the server's
 *   truth: the code is used, by this terminal) and is flagged like a conflict, for the cashier or
 *   a manager to make good to the customer.
 * - rejected (NOT_RECEIVED or any other reason): nothing was redeemed, as the customer was told.
 * - conflict: not expected (an unconfirmed request was never an offline one), but it too redeemed
 *   nothing; it keeps the server's state so it matches the manager's conflict list.
 */
export function settlementChanges(
  outcome: RedemptionOutcome,
  record: RedemptionRecord,
  at: number,
): Partial<RedemptionRecord> & { settled: Settlement } {
  const base = serverDecided(outcome, record.attempts + 1, at);
  switch (outcome.status) {
    case 'accepted':
      return {
        ...base,
        state: 'synced',
        batchId: outcome.batchId,
        discountFen: outcome.discountFen,
        unseenConflict: 1,
        settled: 'used_while_refused',
      };
    case 'rejected':
      return { ...base, state: 'rejected', settled: 'refused' };
    case 'conflict':
      return { ...base, state: 'conflict', unseenConflict: 1, settled: 'refused' };
  }
}
