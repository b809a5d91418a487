import { localTime, startOfLocalDay } from '../../core/time';
import type { BatchId, VoucherCode } from '../../core/ids';
import { addFen, type Fen } from '../../core/money';
import type { AllowanceLease } from '../../core/protocol/index';
import type { Reason } from '../../core/reasons';
import { evaluate, evaluateQuick } from '../../core/rules/index';
import type { Candidate, Cart, EvaluationContext } from '../../core/vouchers';
import { candidateFromCache, pricesFor, storeGroupIds } from './catalog';
import type { TillpointDb } from './db';
import { isoAt } from './deps';
import type { TerminalRecord } from './records';

export type OfflineDecision =
  | {
      readonly ok: true;
      readonly batchId: BatchId;
      readonly discountFen: Fen;
      readonly lease: AllowanceLease;
    }
  | { readonly ok: false; readonly reason: Reason; readonly batchId: BatchId | null };

export interface OfflineInput {
  readonly terminal: TerminalRecord;
  readonly code: VoucherCode;
  readonly cart: Cart | null;
  /** Other vouchers of the same sale, evaluated together (stacking, limits). */
  readonly companions: readonly VoucherCode[];
  readonly saleId: string | null;
  /** The redemption being decided, so it does not count against itself. */
  readonly redemptionId: string;
  readonly nowMs: number;
}

/**
 * Decides a redemption with no server, as DESIGN.md "Offline" requires: the core rules on the
 * cached catalog, this terminal's history (one code once), then the allowance lease (count,
 * value, expiry). Pure apart from reading the database.
 */
export async function decideOffline(
  db: TillpointDb,
  input: OfflineInput,
): Promise<OfflineDecision> {
  const { terminal, code, nowMs } = input;
  const found = await candidateFromCache(db, terminal, code, { redemptionId: input.redemptionId });
  if (!found.ok) return found;
  const candidate = found.candidate;
  const context = await evaluationContext(db, terminal, nowMs, input.redemptionId);

  let discountFen: Fen;
  if (input.cart === null) {
    const prices = await pricesFor(db, candidate);
    const quick = evaluateQuick(candidate, context, (sku) => prices.get(sku) ?? null);
    if (!quick.ok) return { ok: false, reason: quick.reason, batchId: candidate.batch.id };
    discountFen = quick.discountFen;
  } else {
    const others: Candidate[] = [];
    for (const companion of input.companions) {
      if (companion === code) continue;
      const c = await candidateFromCache(db, terminal, companion, { saleId: input.saleId });
      if (c.ok) others.push(c.candidate);
    }
    const evaluation = evaluate(input.cart, [candidate, ...others], context);
    const applied = evaluation.applied.find((a) => a.code === code);
    if (!applied) {
      const refused = evaluation.refused.find((r) => r.code === code);
      return {
        ok: false,
        reason: refused?.reason ?? { code: 'NO_ELIGIBLE_ITEMS' },
        batchId: candidate.batch.id,
      };
    }
    discountFen = applied.discountFen;
  }

  const room = await allowanceRoom(db, nowMs, input.redemptionId);
  if (!room.ok) return { ok: false, reason: room.reason, batchId: candidate.batch.id };
  if (room.count < 1) return exceeded('count', candidate.batch.id);
  if (discountFen > room.valueFen) return exceeded('value', candidate.batch.id);
  return { ok: true, batchId: candidate.batch.id, discountFen, lease: room.lease };
}

const exceeded = (
  limit: 'count' | 'value' | 'expired' | 'none',
  batchId: BatchId | null,
): OfflineDecision => ({
  ok: false,
  reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit },
  batchId,
});

export type AllowanceRoom =
  | {
      readonly ok: true;
      readonly lease: AllowanceLease;
      readonly count: number;
      readonly valueFen: Fen;
      readonly usedCount: number;
      readonly usedValueFen: Fen;
    }
  | { readonly ok: false; readonly reason: Reason };

/** What is left of the current lease: the offline redemptions made under it count against it. */
export async function allowanceRoom(
  db: TillpointDb,
  nowMs: number,
  excludeId: string | null = null,
): Promise<AllowanceRoom> {
  const meta = await db.meta.get('lease');
  if (meta?.key !== 'lease')
    return { ok: false, reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'none' } };
  const lease = meta.lease;
  if (Date.parse(lease.expiresAt) <= nowMs)
    return { ok: false, reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'expired' } };
  const underLease = await db.redemptions
    .where('request.offline.leaseId')
    .equals(lease.leaseId)
    .toArray();
  let usedCount = 0;
  let usedValue = 0;
  for (const r of underLease) {
    if (r.id === excludeId || r.request.offline === null) continue;
    if (r.state === 'rejected') continue;
    usedCount += 1;
    usedValue += r.request.offline.discountFen;
  }
  const valueLeft = Math.max(0, lease.maxValueFen - usedValue) as Fen;
  return {
    ok: true,
    lease,
    count: Math.max(0, lease.maxCount - usedCount),
    valueFen: valueLeft,
    usedCount,
    usedValueFen: addFen(usedValue as Fen),
  };
}

/** Clock, store and today's usage (this terminal's own, per batch) for the rule engine. */
async function evaluationContext(
  db: TillpointDb,
  terminal: TerminalRecord,
  nowMs: number,
  excludeId: string,
): Promise<EvaluationContext> {
  const timeZone = terminal.store.timeZone;
  const today = localTime(nowMs, timeZone);
  const dayStart = startOfLocalDay(today.year, today.month, today.day, timeZone);
  const todays = await db.redemptions.where('createdAt').aboveOrEqual(dayStart).toArray();
  const usageToday: EvaluationContext['usageToday'] = {};
  for (const r of todays) {
    if (r.id === excludeId || r.batchId === null) continue;
    if (r.state !== 'pending' && r.state !== 'synced') continue;
    const u = usageToday[r.batchId] ?? { batch: 0, customer: 0 };
    usageToday[r.batchId] = { batch: u.batch + 1, customer: u.customer };
  }
  return {
    now: isoAt(nowMs),
    storeId: terminal.store.id,
    storeGroupIds: await storeGroupIds(db, terminal),
    timeZone,
    usageToday,
  };
}
