import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AllowanceLease, OfflineDecision } from '../../core/protocol';
import type { Fen } from '../../core/money';
import type { StoreId, TerminalId } from '../../core/ids';
import type { Reason } from '../../core/reasons';
import type { TerminalActor } from '../auth/actors';
import type { LeaseTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { appendAudit } from '../audit/chain';

/*
 * The bound the offline allowance keeps. A lease takes an offline redemption
 * dated before its own expiry and within its own count and value, if either
 *   - it had not been replaced when the redemption was made, or
 *   - it is still one of the terminal's two newest leases (not retired).
 * The second rule is for a till whose renewal answer was lost: the server
 * replaced its lease, the till never learnt of the new one and kept redeeming
 * under the old one, within the old one's limits. Without it, every such
 * redemption came back as a conflict though the till kept to its allowance.
 *
 * What that costs: an honest till holds one lease at a time, so what it can
 * redeem unseen in an outage is still one lease's limits. A till that hoards
 * leases (asks for new ones and keeps the old) can now have its two newest
 * accepted, not only the newest: at most the limits of two leases, never more,
 * however many it asks for, because a lease is retired as soon as a second one
 * is issued after it. Beyond that everything is a stored conflict for review,
 * as before. (Dates are the till's own, capped at the server's clock; that was
 * already so for the "not yet replaced" rule.)
 */

function toLease(row: LeaseTable): AllowanceLease {
  return {
    leaseId: row.lease_id,
    terminalId: row.terminal_id as TerminalId,
    storeId: row.store_id as StoreId,
    maxCount: Number(row.max_count),
    maxValueFen: Number(row.max_value_fen) as Fen,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
  };
}

/**
 * Grants a terminal a new offline allowance from its store's settings, or,
 * for a `requestId` this terminal already sent, the lease that request was
 * given (a retry after a lost answer must not replace it again). A new lease
 * replaces the terminal's current one and retires the one before that (see
 * the bound above).
 */
export async function issueLease(
  w: WriteTx,
  actor: TerminalActor,
  requestId: string,
  now: string,
): Promise<AllowanceLease> {
  const store = await w.trx
    .selectFrom('stores')
    .select(['offline_max_count', 'offline_max_value_fen', 'offline_hours'])
    .where('id', '=', actor.storeId)
    .executeTakeFirstOrThrow();
  const lease: AllowanceLease = {
    leaseId: randomUUID(),
    terminalId: actor.terminalId as TerminalId,
    storeId: actor.storeId as StoreId,
    maxCount: store.offline_max_count,
    maxValueFen: Number(store.offline_max_value_fen) as Fen,
    issuedAt: now,
    expiresAt: new Date(Date.parse(now) + store.offline_hours * 3_600_000).toISOString(),
  };
  // Insert first: on PostgreSQL a retry racing its own first attempt waits here on the unique
  // index and then finds that attempt's lease, before it has replaced or retired anything.
  const inserted = await w.trx
    .insertInto('leases')
    .values({
      lease_id: lease.leaseId,
      terminal_id: lease.terminalId,
      store_id: lease.storeId,
      max_count: lease.maxCount,
      max_value_fen: lease.maxValueFen,
      used_count: 0,
      used_value_fen: 0,
      issued_at: lease.issuedAt,
      expires_at: lease.expiresAt,
      replaced_at: null,
      request_id: requestId,
      retired_at: null,
    })
    .onConflict((oc) => oc.columns(['terminal_id', 'request_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    const issued = await w.trx
      .selectFrom('leases')
      .selectAll()
      .where('terminal_id', '=', actor.terminalId)
      .where('request_id', '=', requestId)
      .executeTakeFirstOrThrow();
    return toLease(issued);
  }
  await w.trx
    .updateTable('leases')
    .set({ retired_at: now })
    .where('terminal_id', '=', actor.terminalId)
    .where('replaced_at', 'is not', null)
    .where('retired_at', 'is', null)
    .execute();
  await w.trx
    .updateTable('leases')
    .set({ replaced_at: now })
    .where('terminal_id', '=', actor.terminalId)
    .where('replaced_at', 'is', null)
    .where('lease_id', '!=', lease.leaseId)
    .execute();
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: 'allowance.lease',
      subject: `lease:${lease.leaseId}`,
      before: null,
      after: lease,
    },
    now,
  );
  return lease;
}

/**
 * How far a till's clock may run behind the server's before a redemption it dates before its
 * lease is refused as made before it: tills keep their own time, and an honest one a minute slow
 * must not turn its first offline scans into conflicts.
 */
const TILL_CLOCK_SKEW_MS = 2 * 60_000;
const withSkew = (at: string): string =>
  new Date(Date.parse(at) + TILL_CLOCK_SKEW_MS).toISOString();

/** Why an offline redemption could not be charged to the lease it names. */
export type LeaseRefusal = Extract<Reason, { code: 'OFFLINE_ALLOWANCE_EXCEEDED' }>;

/** A lease row as the ledger reads it. */
export type LeaseRow = Selectable<LeaseTable>;

/**
 * Whether an offline redemption made at `at` fits the lease: the same
 * conditions as the conditional update of chargeLease, for callers that hold
 * the lease row locked and charge it in memory (batch-redeem.ts).
 */
export function leaseAllows(
  lease: LeaseRow,
  terminalId: string,
  decision: OfflineDecision,
  at: string,
): boolean {
  return (
    lease.terminal_id === terminalId &&
    lease.issued_at <= withSkew(at) &&
    lease.expires_at >= at &&
    (lease.replaced_at === null || lease.replaced_at >= at || lease.retired_at === null) &&
    Number(lease.used_count) < Number(lease.max_count) &&
    Number(lease.used_value_fen) + decision.discountFen <= Number(lease.max_value_fen)
  );
}

/**
 * Why an offline redemption could not be charged to the lease it names
 * (undefined: no such lease): which limit it ran into and, for the value
 * limit, what was left and what it needed. A redemption dated before the
 * lease was issued cannot have been made under it (before_lease).
 */
export function leaseRefusal(
  lease: LeaseRow | undefined,
  terminalId: string,
  decision: OfflineDecision,
  at: string,
): LeaseRefusal {
  const refusal = (limit: LeaseRefusal['limit']): LeaseRefusal => ({
    code: 'OFFLINE_ALLOWANCE_EXCEEDED',
    limit,
  });
  if (!lease || lease.terminal_id !== terminalId) return refusal('none');
  if (lease.issued_at > withSkew(at)) return refusal('before_lease');
  const pastReplacement =
    lease.replaced_at !== null && lease.replaced_at < at && lease.retired_at !== null;
  if (lease.expires_at < at || pastReplacement) return refusal('expired');
  if (lease.used_count >= lease.max_count) return refusal('count');
  return {
    ...refusal('value'),
    leftFen: Math.max(0, Number(lease.max_value_fen) - Number(lease.used_value_fen)) as Fen,
    neededFen: decision.discountFen,
  };
}

/**
 * Charges one offline redemption made at `at` to the lease it names, in one
 * conditional update (no read-then-write race between two pushes). Returns
 * null when charged, or the refusal (leaseRefusal).
 */
export async function chargeLease(
  w: WriteTx,
  actor: TerminalActor,
  decision: OfflineDecision,
  at: string,
): Promise<LeaseRefusal | null> {
  // The SQL twin of leaseAllows.
  const charged = await w.trx
    .updateTable('leases')
    .set((eb) => ({
      used_count: eb('used_count', '+', 1),
      used_value_fen: eb('used_value_fen', '+', decision.discountFen),
    }))
    .where('lease_id', '=', decision.leaseId)
    .where('terminal_id', '=', actor.terminalId)
    .where('issued_at', '<=', withSkew(at))
    .where('expires_at', '>=', at)
    .where((eb) =>
      eb.or([
        eb('replaced_at', 'is', null),
        eb('replaced_at', '>=', at),
        eb('retired_at', 'is', null),
      ]),
    )
    .where((eb) => eb('used_count', '<', eb.ref('max_count')))
    .where((eb) =>
      eb(eb('used_value_fen', '+', decision.discountFen), '<=', eb.ref('max_value_fen')),
    )
    .executeTakeFirst();
  if (Number(charged.numUpdatedRows) === 1) return null;
  const lease = await w.trx
    .selectFrom('leases')
    .selectAll()
    .where('lease_id', '=', decision.leaseId)
    .executeTakeFirst();
  return leaseRefusal(lease, actor.terminalId, decision, at);
}
