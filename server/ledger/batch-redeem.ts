import type { Insertable } from 'kysely';
import type { BatchId, Sku } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { RedemptionRequest, Winner } from '../../core/protocol';
import type { Reason } from '../../core/reasons';
import { skusToPrice, type CatalogItem } from '../../core/rules';
import type { Candidate } from '../../core/vouchers';
import { appendAuditMany, type AuditInput } from '../audit/chain';
import type { TerminalActor } from '../auth/actors';
import type { ConflictTable, RedemptionTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { appendChanges, type FeedEntry } from '../feed/changes';
import type { ReportRecord } from '../../core/reports/aggregates';
import { countForReports } from '../reports/count';
import { redemptionRecord } from '../reports/records';
import { loadBatch, type BatchData, type LoadedCode, type Pending } from './batch-load';
import { writeBatch, type Take } from './batch-write';
import { leaseAllows, leaseRefusal } from './lease';
import { requestHash, type LedgerDeps } from './redeem';
import {
  companionCandidate,
  companionCodes,
  orderCodesOf,
  conflictRecord,
  judgeLoaded,
  missingCodeReason,
  pricedOrder,
  redemptionRow,
  redemptionTime,
  refusalOutcome,
  replayOf,
  responseText,
  takenOutcome,
  takenRecords,
  unavailableReason,
  usageNeeds,
  winnerOf,
  type Recorded,
  type UsageToday,
} from './redemption-rules';

/** What deciding a batch in memory produced: the answers and every row to write. */
export interface BatchPlan {
  readonly responses: string[];
  /** Codes to take, in item order. */
  readonly takes: Take[];
  /** Per lease: how many redemptions and how much value this batch charged to it. */
  readonly charges: Map<string, { count: number; valueFen: number }>;
  readonly redemptions: Insertable<RedemptionTable>[];
  readonly conflicts: ConflictTable[];
  readonly changes: FeedEntry[];
  readonly audit: AuditInput[];
  /** The codes taken, as the report aggregates count them. */
  readonly reports: ReportRecord[];
}

/**
 * Redeems a pushed batch inside the caller's transaction with a few
 * statements for the whole batch instead of a round trip per item: loads
 * everything the items are decided on (batch-load.ts), decides each item in
 * order in memory with the rules redeem() uses (redemption-rules.ts), then
 * writes set-based (batch-write.ts). Every answer is the one redeem() would
 * give for the same items run one by one, byte for byte: a code taken by an
 * earlier item is already redeemed by it, an id sent twice is replayed, a
 * lease is charged item by item.
 *
 * Throws BatchRaced (batch-write.ts) when a concurrent request recorded one of
 * the ids first: the caller rolls back and runs the batch again, which then
 * replays that id.
 */
export async function redeemSet(
  w: WriteTx,
  deps: LedgerDeps,
  actor: TerminalActor,
  items: readonly RedemptionRequest[],
  now: string,
  /** Told each new outcome's status once written (not the replays), for the metrics. */
  decided?: (status: string) => void,
): Promise<string[]> {
  const pending: Pending[] = items.map((req) => ({
    req,
    hash: requestHash(req),
    ...redemptionTime(req, now, actor.timeZone),
  }));
  const data = await loadBatch(w, deps, actor, pending);
  const plan = decideBatch(deps, actor, pending, data, now);
  await writeBatch(w, actor, plan);
  if (decided) for (const row of plan.redemptions) decided(row.status);
  await appendChanges(w, plan.changes, now);
  await appendAuditMany(w, plan.audit, now);
  countForReports(w, plan.reports, actor.timeZone);
  return plan.responses;
}

/** Decides every item in order on the loaded data; pure apart from updating `data` as it goes. */
function decideBatch(
  deps: LedgerDeps,
  actor: TerminalActor,
  items: readonly Pending[],
  data: BatchData,
  now: string,
): BatchPlan {
  const plan: BatchPlan = {
    responses: [],
    takes: [],
    charges: new Map(),
    redemptions: [],
    conflicts: [],
    changes: [],
    audit: [],
    reports: [],
  };
  const batchOf = (row: LoadedCode) => deps.batches.get(row.batch_id, row.version, row.doc);

  for (const item of items) {
    const { req } = item;
    const stored = data.stored.get(req.id);
    if (stored) {
      plan.responses.push(replayOf(req.id, stored, item.hash));
      continue;
    }
    const when = { at: item.at, day: item.day, now };

    const record = (recorded: Recorded): void => {
      const response = responseText(req, recorded.outcome);
      plan.redemptions.push(redemptionRow(req, actor, recorded, when, response, item.hash));
      data.stored.set(req.id, { request_hash: item.hash, response });
      plan.responses.push(response);
    };
    const hold = (reason: Reason, winner: Winner | null, batchId: BatchId | null): void => {
      const held = conflictRecord(req, actor, reason, winner, batchId, when);
      plan.conflicts.push(held.row);
      plan.audit.push(held.audit);
    };
    const refuse = (reason: Reason, winner: Winner | null, batchId: BatchId | null): void => {
      record({ outcome: refusalOutcome(req, reason, winner), batchId, discountFen: 0 as Fen });
      if (req.offline) hold(reason, winner, batchId);
    };

    if (req.offline) {
      const lease = data.leases.get(req.offline.leaseId);
      if (!lease || !leaseAllows(lease, actor.terminalId, req.offline, item.at)) {
        refuse(leaseRefusal(lease, actor.terminalId, req.offline, item.at), null, null);
        continue;
      }
      const charged = { ...lease };
      charged.used_count = Number(lease.used_count) + 1;
      charged.used_value_fen = Number(lease.used_value_fen) + req.offline.discountFen;
      data.leases.set(lease.lease_id, charged);
      const sum = plan.charges.get(lease.lease_id) ?? { count: 0, valueFen: 0 };
      sum.count += 1;
      sum.valueFen += req.offline.discountFen;
      plan.charges.set(lease.lease_id, sum);
    }

    const row = data.codes.get(req.code);
    if (!row) {
      refuse(missingCodeReason(deps.keys, req.code), null, null);
      continue;
    }
    const batch = batchOf(row);
    if (row.state === 'void' || row.state === 'redeemed') {
      refuse(unavailableReason(row), winnerOf(row), batch.id);
      continue;
    }

    const target: Candidate = { code: req.code, batch, claimedAt: row.claimed_at, redeemed: null };
    const companions: Candidate[] = [];
    for (const code of companionCodes(req)) {
      const c = data.codes.get(code);
      if (c) companions.push(companionCandidate(code, c, batchOf(c), actor));
    }
    const needed = new Set(skusToPrice(req.cart, [target]));
    const itemOf = (sku: Sku): CatalogItem | null =>
      needed.has(sku) ? (data.catalog.get(sku) ?? null) : null;
    const priced = pricedOrder(req.cart, itemOf);
    if (!priced.ok) {
      refuse(priced.reason, null, batch.id);
      continue;
    }
    const customerId = req.cart?.customerId ?? null;
    const usageToday: UsageToday = {};
    const orderUsesToday: UsageToday = {};
    for (const b of [batch, ...companions.map((c) => c.batch)]) {
      if (usageToday[b.id]) continue;
      const need = usageNeeds(b, customerId);
      const used = data.usage.usageFor(
        b.id,
        item.day,
        customerId,
        need,
        orderCodesOf(companions, b.id),
      );
      usageToday[b.id] = used.other;
      orderUsesToday[b.id] = used.order;
    }
    const judged = judgeLoaded({
      actor,
      at: item.at,
      target,
      companions,
      cart: priced.cart,
      itemOf,
      usageToday,
      orderUsesToday,
    });
    if (!judged.ok) {
      refuse(judged.reason, null, batch.id);
      continue;
    }
    const { discountFen } = judged;

    plan.takes.push({ code: req.code, at: item.at, redemptionId: req.id });
    data.codes.set(req.code, {
      ...row,
      state: 'redeemed',
      redeemed_at: item.at,
      redeemed_store_id: actor.storeId,
      redeemed_terminal_id: actor.terminalId,
      redemption_id: req.id,
      redeemed_terminal_name: data.terminalName,
    });
    const { outcome, claimedFen } = takenOutcome(req, actor, batch.id, discountFen, item.at);
    record({ outcome, batchId: batch.id, discountFen });
    if (outcome.status === 'accepted')
      data.usage.accepted(req.code, batch.id, item.day, customerId);
    else hold(outcome.reason, null, batch.id);
    const taken = takenRecords(
      req,
      actor,
      batch.id,
      row.claimed_at,
      discountFen,
      claimedFen,
      item.at,
    );
    plan.changes.push(taken.change);
    plan.audit.push(taken.audit);
    plan.reports.push(
      redemptionRecord(batch.id, actor.storeId, item.at, row.claimed_at, discountFen),
    );
  }
  return plan;
}
