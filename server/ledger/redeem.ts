import { hash } from 'node:crypto';
import { sql } from 'kysely';
import type { BatchId, CategoryId, Sku, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { RedemptionRequest, Winner } from '../../core/protocol';
import type { Reason } from '../../core/reasons';
import { skusToPrice, type CatalogItem, type Judgement } from '../../core/rules';
import type { Batch, Candidate, Cart } from '../../core/vouchers';
import type { TerminalActor } from '../auth/actors';
import type { ServerKeys } from '../auth/keys';
import { prepared, type Queryable, type Slots } from '../db/prepared';
import type { WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { appendAudit } from '../audit/chain';
import { canonicalJson } from '../audit/canonical';
import { appendChanges } from '../feed/changes';
import { redemptionRecord } from '../reports/records';
import { countForReports } from '../reports/count';
import type { BatchCache } from './batch-cache';
import { selectCodeRows } from './code-rows';
import { chargeLease } from './lease';
import {
  insertRedemption,
  readAttempt,
  takeAndRecord,
  type AttemptData,
} from './redeem-statements';
import {
  companionCandidate,
  winnerOf,
  companionCodes,
  conflictRecord,
  judgeLoaded,
  missingCodeReason,
  orderCodesOf,
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
  type Recorded,
  type UsageToday,
} from './redemption-rules';

export interface LedgerDeps {
  readonly keys: ServerKeys;
  readonly batches: BatchCache;
}

/**
 * Thrown when another request with the same id committed first (PostgreSQL,
 * concurrent replay): the caller rolls back this attempt and answers with the
 * stored outcome instead.
 */
export class AlreadyRecorded extends Error {
  constructor(readonly id: string) {
    super(`redemption ${id} was recorded by a concurrent request`);
  }
}

// Compiled once (db/prepared.ts).
const selectStored = prepared((db, p: Slots<{ terminalId: string; id: string }>) =>
  db
    .selectFrom('redemptions')
    .select(['response', 'request_hash'])
    .where('terminal_id', '=', p('terminalId'))
    .where('id', '=', p('id')),
);

const selectCode = prepared((db, p: Slots<{ code: string }>) =>
  selectCodeRows(db).where('codes.code', '=', p('code')),
);

/**
 * What a redemption request is compared by when its id comes again: everything but the offline
 * decision (an online attempt whose answer was lost is pushed later with the decision the till
 * made meanwhile, and must get the stored outcome of that attempt).
 */
export function requestHash(req: RedemptionRequest): string {
  return hash('sha256', canonicalJson({ ...req, offline: undefined }), 'base64url');
}

/**
 * The stored answer for this terminal's redemption id, or undefined. Ids belong to the terminal
 * that made them: another terminal's id is simply not found. The same id with another request is
 * refused, never answered with the stored outcome.
 */
export async function storedResponse(
  db: Queryable,
  terminalId: string,
  id: string,
  hashOf: string,
): Promise<string | undefined> {
  const row = (await selectStored(db, { terminalId, id })).rows[0];
  return row ? replayOf(id, row, hashOf) : undefined;
}

interface Attempt {
  readonly w: WriteTx;
  readonly deps: LedgerDeps;
  readonly actor: TerminalActor;
  readonly req: RedemptionRequest;
  readonly hash: string;
  /** Server clock. */
  readonly now: string;
  /** When the redemption happened: now online, the terminal's time (never later than now) offline. */
  readonly at: string;
  readonly day: string;
  /** Told the new outcome's status once it is recorded (never a replay), for the metrics. */
  readonly decided: ((status: string) => void) | undefined;
}

/**
 * Redeems one code inside the caller's transaction and returns the serialized
 * RedemptionResponse, stored under the terminal's request id so a replay gets
 * the same bytes. Online requests are judged now against the server's data;
 * offline ones at the time they were made, charged to their lease, and every
 * refusal of an offline one is a stored conflict (the customer already has the
 * goods). Every amount is the server's: the cart is re-priced from the catalog
 * and the voucher valued by the core rules, whatever figure the till sent.
 * The rules are redemption-rules.ts; a pushed batch runs the same rules on
 * data loaded for the whole batch at once (batch-redeem.ts).
 *
 * `readBefore`: the stored answer, pairing and code row already read outside
 * the transaction (attempt-reads.ts says why that is safe); read here otherwise.
 */
export async function redeem(
  w: WriteTx,
  deps: LedgerDeps,
  actor: TerminalActor,
  req: RedemptionRequest,
  now: string,
  readBefore: AttemptData | null = null,
  decided?: (status: string) => void,
): Promise<string> {
  const hashOf = requestHash(req);
  const read = readBefore ?? (await readAttempt(w, actor.terminalId, req.id, req.code));
  // Authentication may have read a cached terminal; the transaction has the last word.
  if (!read.paired) throw unpaired();
  if (read.stored) return replayOf(req.id, read.stored, hashOf);
  const a: Attempt = {
    w,
    deps,
    actor,
    req,
    hash: hashOf,
    now,
    ...redemptionTime(req, now, actor.timeZone),
    decided,
  };

  if (req.offline) {
    const refusal = await chargeLease(w, actor, req.offline, a.at);
    if (refusal !== null) return refuse(a, refusal, null, null);
  }

  const row = read.code;
  if (!row) return refuse(a, missingCodeReason(deps.keys, req.code), null, null);
  const batch = deps.batches.get(row.batch_id, row.version, row.doc);
  if (row.state === 'void' || row.state === 'redeemed')
    return refuse(a, unavailableReason(row), winnerOf(row), batch.id);

  const judged = await judge(a, {
    code: req.code,
    batch,
    claimedAt: row.claimed_at,
    redeemed: null,
  });
  if (!judged.ok) return refuse(a, judged.reason, null, batch.id);
  const discountFen = judged.discountFen;

  const { outcome, claimedFen } = takenOutcome(req, actor, batch.id, discountFen, a.at);
  const recorded: Recorded = { outcome, batchId: batch.id, discountFen };
  const response = responseText(req, outcome);
  const written = await takeAndRecord(
    w,
    {
      code: req.code,
      redeemed_at: a.at,
      redeemed_store_id: actor.storeId,
      redeemed_terminal_id: actor.terminalId,
      redemption_id: req.id,
    },
    redemptionRow(req, actor, recorded, a, response, a.hash),
  );
  if (!written.taken) {
    // Lost a race: another counter redeemed (or a manager voided) it after we read it.
    const now2 = (await selectCode(w, { code: req.code })).rows[0];
    if (!now2) throw new Error(`code ${req.code} vanished while it was being redeemed`);
    return refuse(a, unavailableReason(now2), winnerOf(now2), batch.id);
  }
  // The id was recorded by a concurrent request after we read: undo the take (the caller replays).
  if (!written.recorded) throw new AlreadyRecorded(req.id);
  a.decided?.(outcome.status);

  if (outcome.status === 'conflict') await holdForReview(a, outcome.reason, null, batch.id);
  const taken2 = takenRecords(req, actor, batch.id, row.claimed_at, discountFen, claimedFen, a.at);
  await appendChanges(w, [taken2.change], now);
  await appendAudit(w, taken2.audit, now);
  countForReports(
    w,
    [redemptionRecord(batch.id, actor.storeId, a.at, row.claimed_at, discountFen)],
    actor.timeZone,
  );
  return response;
}

/** The terminal was unpaired after its request was authenticated (the same 401 as route-auth's). */
function unpaired(): HttpError {
  return new HttpError(
    401,
    'UNAUTHENTICATED',
    'This terminal token is not recognised (unknown, or the terminal was unpaired); pair the terminal again with a new pairing code.',
  );
}

/**
 * Runs the core judgement against the server's own data for this store and day: the cart priced
 * from the catalog, the order's other vouchers as the server knows them, today's usage.
 */
async function judge(a: Attempt, target: Candidate): Promise<Judgement> {
  const { req } = a;
  const companions = await companionsOf(a);
  const catalog = await catalogFor(a, req.cart, [target]);
  const itemOf = (sku: Sku): CatalogItem | null => catalog.get(sku) ?? null;
  const priced = pricedOrder(req.cart, itemOf);
  if (!priced.ok) return priced;
  const customerId = req.cart?.customerId ?? null;
  const usageToday: UsageToday = {};
  const orderUsesToday: UsageToday = {};
  for (const batch of [target.batch, ...companions.map((c) => c.batch)]) {
    if (usageToday[batch.id]) continue;
    const used = await usage(a, batch, customerId, orderCodesOf(companions, batch.id));
    usageToday[batch.id] = used.other;
    orderUsesToday[batch.id] = used.order;
  }
  return judgeLoaded({
    actor: a.actor,
    at: a.at,
    target,
    companions,
    cart: priced.cart,
    itemOf,
    usageToday,
    orderUsesToday,
  });
}

/** The order's other vouchers as candidates (only with a cart; see companionCandidate). */
async function companionsOf(a: Attempt): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const code of companionCodes(a.req)) {
    const row = (await selectCode(a.w, { code })).rows[0];
    if (!row) continue;
    const batch = a.deps.batches.get(row.batch_id, Number(row.version), row.doc);
    out.push(companionCandidate(code, row, batch, a.actor));
  }
  return out;
}

/** Catalog price and category of every SKU judging this order needs. */
async function catalogFor(
  a: Attempt,
  cart: Cart | null,
  candidates: readonly Candidate[],
): Promise<Map<Sku, CatalogItem>> {
  const skus = skusToPrice(cart, candidates);
  if (skus.length === 0) return new Map();
  const rows = await a.w.trx
    .selectFrom('products')
    .select(['sku', 'doc', 'price_fen'])
    .where('sku', 'in', skus)
    .execute();
  return new Map(rows.map((r) => [r.sku as Sku, catalogItem(r)]));
}

/** A products row as the rules read it. */
export function catalogItem(row: { doc: string; price_fen: number }): CatalogItem {
  return {
    priceFen: Number(row.price_fen) as Fen,
    category: (JSON.parse(row.doc) as { category: CategoryId }).category,
  };
}

/**
 * Accepted redemptions of this batch today (store time), chain-wide and by this customer, split
 * into the order's own (its companions' codes, `orderCodes`) and the others; counted only when
 * the batch has a limit that needs them. On PostgreSQL the batch row is locked first so two
 * counters cannot both take the last unit of a cap.
 */
async function usage(
  a: Attempt,
  batch: Batch,
  customerId: string | null,
  orderCodes: readonly VoucherCode[],
): Promise<{ other: DailyUse; order: DailyUse }> {
  const need = usageNeeds(batch, customerId);
  if (!need.batch && !need.customer) return { other: NO_USE, order: NO_USE };
  const { w } = a;
  if (w.dialect === 'postgres') {
    await sql`select id from batches where id = ${batch.id} for update`.execute(w.trx);
  }
  const ours =
    orderCodes.length > 0 ? sql<boolean>`code in (${sql.join(orderCodes)})` : sql<boolean>`1 = 0`;
  const mine =
    need.customer && customerId !== null
      ? sql<boolean>`customer_id = ${customerId}`
      : sql<boolean>`1 = 0`;
  const row = await w.trx
    .selectFrom('redemptions')
    .select([
      sql<number>`count(*)`.as('all'),
      sql<number>`count(case when ${ours} then 1 end)`.as('ours'),
      sql<number>`count(case when ${mine} then 1 end)`.as('mine'),
      sql<number>`count(case when ${mine} and ${ours} then 1 end)`.as('mineOurs'),
    ])
    .where('batch_id', '=', batch.id)
    .where('day', '=', a.day)
    .where('status', '=', 'accepted')
    .executeTakeFirst();
  // Only the counts a limit needs, as the batch path gives them (UsageCounts.usageFor).
  const n = (v: number | undefined, needed: boolean) => (needed ? Number(v ?? 0) : 0);
  const order = { batch: n(row?.ours, need.batch), customer: n(row?.mineOurs, need.customer) };
  return {
    other: {
      batch: n(row?.all, need.batch) - order.batch,
      customer: n(row?.mine, need.customer) - order.customer,
    },
    order,
  };
}

type DailyUse = { readonly batch: number; readonly customer: number };
const NO_USE: DailyUse = { batch: 0, customer: 0 };

/** A refusal, recorded; offline also held for a manager (redemption-rules refusalOutcome). */
async function refuse(
  a: Attempt,
  reason: Reason,
  winner: Winner | null,
  batchId: BatchId | null,
): Promise<string> {
  const outcome = refusalOutcome(a.req, reason, winner);
  const response = await record(a, { outcome, batchId, discountFen: 0 as Fen });
  if (a.req.offline) await holdForReview(a, reason, winner, batchId);
  return response;
}

/** Stores an offline redemption's conflict for a manager, with the figure the till gave. */
async function holdForReview(
  a: Attempt,
  reason: Reason,
  winner: Winner | null,
  batchId: BatchId | null,
): Promise<void> {
  const held = conflictRecord(a.req, a.actor, reason, winner, batchId, a);
  await a.w.trx.insertInto('conflicts').values(held.row).execute();
  await appendAudit(a.w, held.audit, a.now);
}

/**
 * Stores the outcome under the terminal's request id. If a concurrent request
 * with the same id got there first (its row appears on PostgreSQL once it
 * commits), this attempt is abandoned with AlreadyRecorded.
 */
async function record(a: Attempt, recorded: Recorded): Promise<string> {
  const response = responseText(a.req, recorded.outcome);
  const inserted = await insertRedemption(
    a.w,
    redemptionRow(a.req, a.actor, recorded, a, response, a.hash),
  );
  // ON CONFLICT DO NOTHING inserts no row when the id is already recorded.
  if (Number(inserted.numAffectedRows ?? 0) !== 1) throw new AlreadyRecorded(a.req.id);
  a.decided?.(recorded.outcome.status);
  return response;
}
