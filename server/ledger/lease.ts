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

/**
 * Grants a terminal a new offline allowance from its store's settings. The
 * previous lease is marked replaced at this instant: what the terminal did
 * under it before now still counts against it, anything later is beyond it.
 */
export async function issueLease(
  w: WriteTx,
  actor: TerminalActor,
  now: string,
): Promise<AllowanceLease> {
  const store = await w.trx
    .selectFrom('stores')
    .select(['offline_max_count', 'offline_max_value_fen', 'offline_hours'])
    .where('id', '=', actor.storeId)
    .executeTakeFirstOrThrow();
  await w.trx
    .updateTable('leases')
    .set({ replaced_at: now })
    .where('terminal_id', '=', actor.terminalId)
    .where('replaced_at', 'is', null)
    .execute();
  const lease: AllowanceLease = {
    leaseId: randomUUID(),
    terminalId: actor.terminalId as TerminalId,
    storeId: actor.storeId as StoreId,
    maxCount: store.offline_max_count,
    maxValueFen: Number(store.offline_max_value_fen) as Fen,
    issuedAt: now,
    expiresAt: new Date(Date.parse(now) + store.offline_hours * 3_600_000).toISOString(),
  };
  await w.trx
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
    })
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
    lease.issued_at <= at &&
    lease.expires_at >= at &&
    (lease.replaced_at === null || lease.replaced_at >= at) &&
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
  if (lease.issued_at > at) return refusal('before_lease');
  if (lease.expires_at < at || (lease.replaced_at !== null && lease.replaced_at < at))
    return refusal('expired');
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
    .where('issued_at', '<=', at)
    .where('expires_at', '>=', at)
    .where((eb) => eb.or([eb('replaced_at', 'is', null), eb('replaced_at', '>=', at)]))
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
