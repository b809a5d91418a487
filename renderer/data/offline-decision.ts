import { localTime, startOfLocalDay } from '../../core/time';
import type { BatchId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { AllowanceLease } from '../../core/protocol/index';
import type { Reason } from '../../core/reasons';
import { judgeVoucher } from '../../core/rules/index';
import type { Batch, Candidate, Cart, EvaluationContext } from '../../core/vouchers';
import { candidateFromCache, pricesFor, storeGroupIds } from './catalog';
import { leaseUsageOf, type TillpointDb } from './db';
import { isoAt } from './deps';
import type { LeaseUsageRecord, TerminalRecord } from './records';

export type OfflineDecision =
  | {
      readonly ok: true;
      readonly batchId: BatchId;
      readonly discountFen: Fen;
      readonly lease: AllowanceLease;
      /** The lease's usage as the decision read it, before this redemption (chargeLeaseUsage). */
      readonly leaseUsed: { readonly count: number; readonly valueFen: Fen };
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

/** Every table an offline decision reads: callers that write its result open a transaction on them. */
export const decisionTables = (db: TillpointDb) =>
  [db.redemptions, db.meta, db.codes, db.batches, db.stores, db.products] as const;

/**
 * Decides a redemption with no server, as DESIGN.md "Offline" requires: the core rules on the
 * cached catalog, this terminal's history (one code once), then the allowance lease (count,
 * value, expiry). Pure apart from reading the database, and every read is a key or index look-up
 * (never a scan of the history), so the answer does not slow down as the queue grows.
 *
 * It runs in one transaction: called inside the caller's read-write transaction (redeem.ts), the
 * decision and the record it produces are atomic, so two scans of one code in two tabs, or two
 * quick scans in one, cannot both pass.
 */
export async function decideOffline(
  db: TillpointDb,
  input: OfflineInput,
): Promise<OfflineDecision> {
  return db.transaction('r', decisionTables(db), () => decide(db, input));
}

async function decide(db: TillpointDb, input: OfflineInput): Promise<OfflineDecision> {
  const { terminal, code, nowMs } = input;
  // Independent look-ups go out together: one transaction pipelines them, so the decision waits
  // for the slowest of them, not for their sum (the companions do not depend on the target).
  const [found, looked, groupIds, room] = await Promise.all([
    candidateFromCache(db, terminal, code, { redemptionId: input.redemptionId }),
    input.cart === null
      ? []
      : Promise.all(
          input.companions
            .filter((companion) => companion !== code)
            .map((companion) =>
              candidateFromCache(db, terminal, companion, { saleId: input.saleId }),
            ),
        ),
    storeGroupIds(db, terminal),
    allowanceRoom(db, nowMs),
  ]);
  if (!found.ok) return found;
  const candidate = found.candidate;
  const companions: Candidate[] = [];
  for (const c of looked) if (c.ok) companions.push(c.candidate);
  const [prices, { context, orderUsesToday }] = await Promise.all([
    input.cart === null ? pricesFor(db, candidate) : new Map<string, Fen>(),
    evaluationContext(
      db,
      terminal,
      nowMs,
      groupIds,
      [candidate, ...companions].map((c) => c.batch),
      input.cart?.customerId ?? null,
      // As the server's orderCodesOf: the companions taken as this order's own vouchers.
      new Set(companions.filter((c) => c.redeemed === null).map((c) => c.code)),
    ),
  ]);
  const judged = judgeVoucher({
    target: candidate,
    companions,
    cart: input.cart,
    context,
    priceOf: (sku) => prices.get(sku) ?? null,
    orderUsesToday,
  });
  if (!judged.ok) return { ok: false, reason: judged.reason, batchId: candidate.batch.id };
  const discountFen = judged.discountFen;

  if (!room.ok) return { ok: false, reason: room.reason, batchId: candidate.batch.id };
  if (room.count < 1) return exceeded('count', candidate.batch.id);
  if (discountFen > room.valueFen)
    return {
      ok: false,
      reason: {
        code: 'OFFLINE_ALLOWANCE_EXCEEDED',
        limit: 'value',
        leftFen: room.valueFen,
        neededFen: discountFen,
      },
      batchId: candidate.batch.id,
    };
  return {
    ok: true,
    batchId: candidate.batch.id,
    discountFen,
    lease: room.lease,
    leaseUsed: { count: room.usedCount, valueFen: room.usedValueFen },
  };
}

const exceeded = (limit: 'count', batchId: BatchId | null): OfflineDecision => ({
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

/**
 * What is left of the current lease. Every redemption accepted offline under it counts (the
 * server charges each one when it is pushed); the sum is kept in the 'leaseUsage' row, written in
 * the same transaction as each acceptance, so this is two key reads.
 */
export async function allowanceRoom(db: TillpointDb, nowMs: number): Promise<AllowanceRoom> {
  const [meta, usage] = await Promise.all([db.meta.get('lease'), db.meta.get('leaseUsage')]);
  if (meta?.key !== 'lease')
    return { ok: false, reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'none' } };
  const lease = meta.lease;
  if (Date.parse(lease.expiresAt) <= nowMs)
    return { ok: false, reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'expired' } };
  const used =
    usage?.key === 'leaseUsage' && usage.leaseId === lease.leaseId
      ? usage
      : // No summary for this lease yet (just upgraded, or another writer): count it once.
        await countLeaseUsage(db, lease.leaseId);
  return {
    ok: true,
    lease,
    count: Math.max(0, lease.maxCount - used.count),
    valueFen: Math.max(0, lease.maxValueFen - used.valueFen) as Fen,
    usedCount: used.count,
    usedValueFen: used.valueFen,
  };
}

/** Counts a lease's usage from the records made under it (an index range, not the whole history). */
export async function countLeaseUsage(db: TillpointDb, leaseId: string): Promise<LeaseUsageRecord> {
  const records = await db.redemptions.where('request.offline.leaseId').equals(leaseId).toArray();
  return leaseUsageOf(leaseId, records);
}

/**
 * Charges one offline acceptance to the lease usage summary: the usage the decision read plus
 * this redemption. Call it in the read-write transaction that made the decision and stores the
 * accepted record, so nothing can change the usage in between and the two never disagree.
 */
export function chargeLeaseUsage(
  db: TillpointDb,
  decision: Extract<OfflineDecision, { ok: true }>,
): Promise<unknown> {
  return db.meta.put({
    key: 'leaseUsage',
    leaseId: decision.lease.leaseId,
    count: decision.leaseUsed.count + 1,
    valueFen: (decision.leaseUsed.valueFen + decision.discountFen) as Fen,
  });
}

/**
 * Recounts the current lease's usage from the records (on start: a summary is only a cache of
 * what the records say, and the records are the truth).
 */
export async function rebuildLeaseUsage(db: TillpointDb): Promise<void> {
  await db.transaction('rw', db.redemptions, db.meta, async () => {
    const meta = await db.meta.get('lease');
    if (meta?.key !== 'lease') return;
    await db.meta.put(await countLeaseUsage(db, meta.lease.leaseId));
  });
}

/**
 * Clock, store and today's usage (this terminal's own, per batch) for the rule engine. Usage is
 * only needed for batches with a daily cap or, when the order names a customer (a member), a
 * per-customer daily limit: records decided pending or synced since the store's midnight, an
 * index count per batch (the customer's are those whose cart names them). A record still being
 * decided is 'sending', so it never counts against itself. The uses of `orderCodes` (companions
 * the evaluation takes as this order's own) are counted apart, as orderUsesToday, exactly as the
 * server does (JudgeInput.orderUsesToday says why).
 */
async function evaluationContext(
  db: TillpointDb,
  terminal: TerminalRecord,
  nowMs: number,
  groupIds: EvaluationContext['storeGroupIds'],
  batches: readonly Batch[],
  customerId: string | null,
  orderCodes: ReadonlySet<VoucherCode>,
): Promise<{ context: EvaluationContext; orderUsesToday: EvaluationContext['usageToday'] }> {
  const timeZone = terminal.store.timeZone;
  const usageToday: Record<string, DailyUse> = {};
  const orderUsesToday: Record<string, DailyUse> = {};
  const perCustomer = (b: Batch) => customerId !== null && b.perCustomerDailyLimit !== null;
  const counted = batches.filter((b) => b.dailyCap !== null || perCustomer(b));
  const ids = [...new Set(counted.map((b) => b.id))];
  if (ids.length > 0) {
    const today = localTime(nowMs, timeZone);
    const dayStart = startOfLocalDay(today.year, today.month, today.day, timeZone);
    const byCustomer = new Set(counted.filter(perCustomer).map((b) => b.id));
    const counts = await Promise.all(
      ids.map(async (batchId) => {
        const records = (
          await Promise.all(
            (['pending', 'synced'] as const).map((state) =>
              db.redemptions
                .where('[batchId+state+createdAt]')
                .between([batchId, state, dayStart], [batchId, state, Infinity], true, true)
                // A use given back by a refund no longer counts (rare: a filter, not an index).
                .filter((r) => r.returnedAt === undefined)
                .toArray(),
            ),
          )
        ).flat();
        const other = { batch: 0, customer: 0 };
        const order = { batch: 0, customer: 0 };
        for (const r of records) {
          const use = orderCodes.has(r.code) ? order : other;
          use.batch += 1;
          if (byCustomer.has(batchId) && r.request.cart?.customerId === customerId)
            use.customer += 1;
        }
        return [batchId, other, order] as const;
      }),
    );
    for (const [batchId, other, order] of counts) {
      usageToday[batchId] = other;
      orderUsesToday[batchId] = order;
    }
  }
  return {
    context: {
      now: isoAt(nowMs),
      storeId: terminal.store.id,
      storeGroupIds: groupIds,
      timeZone,
      usageToday,
    },
    orderUsesToday,
  };
}

interface DailyUse {
  batch: number;
  customer: number;
}
