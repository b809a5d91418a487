import { hash } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import { verifySignedCode } from '../../core/codes';
import type {
  BatchId,
  CategoryId,
  ClientId,
  Sku,
  StoreId,
  TerminalId,
  VoucherCode,
} from '../../core/ids';
import type { Fen } from '../../core/money';
import type {
  CodeState,
  RedemptionOutcome,
  RedemptionRequest,
  RedemptionResponse,
  Winner,
} from '../../core/protocol';
import type { Reason } from '../../core/reasons';
import {
  cartAtCatalogPrices,
  judgeVoucher,
  skusToPrice,
  type CatalogItem,
  type Judgement,
} from '../../core/rules';
import type { Batch, Candidate, Cart, EvaluationContext } from '../../core/vouchers';
import type { TerminalActor } from '../auth/actors';
import type { ServerKeys } from '../auth/keys';
import type { CodeTable, RedemptionTable } from '../db/schema';
import { prepared, type Queryable, type Slots } from '../db/prepared';
import type { WriteTx } from '../db/storage';
import { appendAudit } from '../audit/chain';
import { canonicalJson } from '../audit/canonical';
import { HttpError } from '../http/errors';
import { appendChanges } from '../feed/changes';
import type { BatchCache } from './batch-cache';
import { chargeLease } from './lease';
import { isoUtc, localDate } from './time';

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

// The statements every redemption runs, compiled once (db/prepared.ts).
const selectStored = prepared((db, p: Slots<{ terminalId: string; id: string }>) =>
  db
    .selectFrom('redemptions')
    .select(['response', 'request_hash'])
    .where('terminal_id', '=', p('terminalId'))
    .where('id', '=', p('id')),
);

const selectCode = prepared((db, p: Slots<{ code: string }>) =>
  db
    .selectFrom('codes')
    .innerJoin('batches', 'batches.id', 'codes.batch_id')
    .leftJoin('terminals', 'terminals.id', 'codes.redeemed_terminal_id')
    .select([
      'codes.code',
      'codes.batch_id',
      'codes.state',
      'codes.claimed_at',
      'codes.redeemed_at',
      'codes.redeemed_store_id',
      'codes.redeemed_terminal_id',
      'codes.redemption_id',
      'codes.signed',
      'batches.doc',
      'batches.version',
      'terminals.name as redeemed_terminal_name',
    ])
    .where('codes.code', '=', p('code')),
);

/** A code row as the ledger reads it, with the name of the till that redeemed it. */
type CodeRow = Pick<
  CodeTable,
  | 'code'
  | 'batch_id'
  | 'state'
  | 'claimed_at'
  | 'redeemed_at'
  | 'redeemed_store_id'
  | 'redeemed_terminal_id'
  | 'redemption_id'
> & { readonly redeemed_terminal_name: string | null };

type TakeCode = Pick<
  CodeTable,
  'code' | 'redeemed_at' | 'redeemed_store_id' | 'redeemed_terminal_id' | 'redemption_id'
>;
/** The conditional update that makes a redemption exactly-once: only an issued code is taken. */
const takeCode = prepared((db, p: Slots<TakeCode>) =>
  db
    .updateTable('codes')
    .set({
      state: 'redeemed',
      redeemed_at: p('redeemed_at'),
      redeemed_store_id: p('redeemed_store_id'),
      redeemed_terminal_id: p('redeemed_terminal_id'),
      redemption_id: p('redemption_id'),
    })
    .where('code', '=', p('code'))
    .where('state', '=', 'issued'),
);

const insertRedemption = prepared((db, p: Slots<Insertable<RedemptionTable>>) =>
  db
    .insertInto('redemptions')
    .values({
      id: p('id'),
      code: p('code'),
      batch_id: p('batch_id'),
      store_id: p('store_id'),
      terminal_id: p('terminal_id'),
      cashier_id: p('cashier_id'),
      status: p('status'),
      discount_fen: p('discount_fen'),
      day: p('day'),
      customer_id: p('customer_id'),
      lease_id: p('lease_id'),
      at: p('at'),
      recorded_at: p('recorded_at'),
      response: p('response'),
      request_hash: p('request_hash'),
    })
    // No RETURNING to learn whether it inserted: the affected-row count says so on both
    // databases, and on SQLite RETURNING doubled the cost of this insert.
    .onConflict((oc) => oc.columns(['terminal_id', 'id']).doNothing()),
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
  if (!row) return undefined;
  if (row.request_hash !== null && row.request_hash !== hashOf)
    throw new HttpError(
      409,
      'IDEMPOTENCY_KEY_REUSED',
      `Redemption ${id} was already sent by this terminal with a different request; a new redemption needs a new id.`,
    );
  return row.response;
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
}

/**
 * Redeems one code inside the caller's transaction and returns the serialized
 * RedemptionResponse, stored under the terminal's request id so a replay gets
 * the same bytes. Online requests are judged now against the server's data;
 * offline ones at the time they were made, charged to their lease, and every
 * refusal of an offline one is a stored conflict (the customer already has the
 * goods). Every amount is the server's: the cart is re-priced from the catalog
 * and the voucher valued by the core rules, whatever figure the till sent.
 */
export async function redeem(
  w: WriteTx,
  deps: LedgerDeps,
  actor: TerminalActor,
  req: RedemptionRequest,
  now: string,
): Promise<string> {
  const hashOf = requestHash(req);
  const prior = await storedResponse(w, actor.terminalId, req.id, hashOf);
  if (prior !== undefined) return prior;
  const requestedAt = isoUtc(req.at);
  const at = req.offline && requestedAt < now ? requestedAt : now;
  const a: Attempt = {
    w,
    deps,
    actor,
    req,
    hash: hashOf,
    now,
    at,
    day: localDate(at, actor.timeZone),
  };

  if (req.offline) {
    const refusal = await chargeLease(w, actor, req.offline, at);
    if (refusal !== null) return refuse(a, refusal, null, null);
  }

  const row = (await selectCode(w, { code: req.code })).rows[0];
  if (!row) {
    // Only misses are checked for a signature: a genuine signed code is always in the table.
    const signature = verifySignedCode(deps.keys.codePublicKeyHex, req.code);
    const forged = !signature.ok && (signature.code === 'FORGED' || signature.code === 'MALFORMED');
    return refuse(a, { code: forged ? 'FORGED_CODE' : 'UNKNOWN_CODE' }, null, null);
  }
  const batch = deps.batches.get(row.batch_id, Number(row.version), row.doc);
  if (row.state === 'void') return refuse(a, { code: 'CODE_VOID' }, winnerOf(row), batch.id);
  if (row.state === 'redeemed') return refuse(a, alreadyRedeemed(row), winnerOf(row), batch.id);

  const judged = await judge(a, {
    code: req.code,
    batch,
    claimedAt: row.claimed_at,
    redeemed: null,
  });
  if (!judged.ok) return refuse(a, judged.reason, null, batch.id);
  const discountFen = judged.discountFen;

  const taken = await takeCode(w, {
    code: req.code,
    redeemed_at: at,
    redeemed_store_id: actor.storeId,
    redeemed_terminal_id: actor.terminalId,
    redemption_id: req.id,
  });
  if (Number(taken.numAffectedRows ?? 0) !== 1) {
    // Lost a race: another counter redeemed (or a manager voided) it after we read it.
    const now2 = (await selectCode(w, { code: req.code })).rows[0];
    if (!now2) throw new Error(`code ${req.code} vanished while it was being redeemed`);
    const reason: Reason = now2.state === 'void' ? { code: 'CODE_VOID' } : alreadyRedeemed(now2);
    return refuse(a, reason, winnerOf(now2), batch.id);
  }

  // Offline, the customer already has the discount the till gave: a figure other than the
  // server's is held for a manager (the code is used either way), never stored as the amount.
  const claimed = req.offline?.discountFen;
  const mismatch = claimed !== undefined && claimed !== discountFen;
  const outcome: RedemptionOutcome = mismatch
    ? {
        status: 'conflict',
        reason: { code: 'DISCOUNT_MISMATCH', claimedFen: claimed, valuedFen: discountFen },
        winner: null,
      }
    : {
        status: 'accepted',
        redemptionId: req.id,
        code: req.code,
        batchId: batch.id,
        discountFen,
        storeId: actor.storeId as StoreId,
        terminalId: actor.terminalId as TerminalId,
        at,
      };
  const response = await record(a, outcome, batch.id, discountFen);
  if (outcome.status === 'conflict') await holdForReview(a, outcome.reason, null, batch.id);
  const state: CodeState = {
    code: req.code,
    batchId: batch.id,
    state: 'redeemed',
    claimedAt: row.claimed_at,
    redeemed: { at, storeId: actor.storeId as StoreId, terminalId: actor.terminalId as TerminalId },
  };
  await appendChanges(w, [{ change: { type: 'code', code: state }, batchId: batch.id }], now);
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: req.offline ? 'redemption.accepted_offline' : 'redemption.accepted',
      subject: `code:${req.code}`,
      before: { state: 'issued' },
      // Keys in sorted order: canonicalJson then writes it with one JSON.stringify.
      after: mismatch
        ? { at, claimedFen: claimed, discountFen, redemptionId: req.id, state: 'redeemed' }
        : { at, discountFen, redemptionId: req.id, state: 'redeemed' },
    },
    now,
  );
  return response;
}

/**
 * Runs the core judgement against the server's own data for this store and day: the cart priced
 * from the catalog, the order's other vouchers as the server knows them, today's usage.
 */
async function judge(a: Attempt, target: Candidate): Promise<Judgement> {
  const { req, actor } = a;
  const companions = req.cart === null ? [] : await companionsOf(a);
  const catalog = await catalogFor(a, req.cart, [target]);
  const itemOf = (sku: Sku): CatalogItem | null => catalog.get(sku) ?? null;
  let cart: Cart | null = null;
  if (req.cart !== null) {
    const priced = cartAtCatalogPrices(req.cart, itemOf);
    if (!priced.ok) return priced;
    cart = priced.cart;
  }
  const batches = [target.batch, ...companions.map((c) => c.batch)];
  const customerId = req.cart?.customerId ?? null;
  const usageToday: Record<string, { batch: number; customer: number }> = {};
  for (const batch of batches)
    usageToday[batch.id] ??= await usage(a, batch, customerId);
  const context: EvaluationContext = {
    now: a.at,
    storeId: actor.storeId as StoreId,
    storeGroupIds: actor.groupIds as EvaluationContext['storeGroupIds'],
    timeZone: actor.timeZone,
    usageToday,
  };
  return judgeVoucher({
    target,
    companions,
    cart,
    context,
    priceOf: (sku) => itemOf(sku)?.priceFen ?? null,
  });
}

/**
 * The order's other vouchers as candidates. One this terminal redeemed is part of the same order
 * (the till sends the codes it already applied), so it does not count as used elsewhere.
 */
async function companionsOf(a: Attempt): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const code of new Set(a.req.companions ?? [])) {
    if (code === a.req.code) continue;
    const row = (await selectCode(a.w, { code })).rows[0];
    if (!row) continue;
    const ours = row.redeemed_terminal_id === a.actor.terminalId;
    out.push({
      code,
      batch: a.deps.batches.get(row.batch_id, Number(row.version), row.doc),
      claimedAt: row.claimed_at,
      redeemed:
        ours || row.redeemed_at === null || row.redeemed_store_id === null
          ? null
          : { at: row.redeemed_at, storeId: row.redeemed_store_id as StoreId },
    });
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
  return new Map(
    rows.map((r) => [
      r.sku as Sku,
      {
        priceFen: Number(r.price_fen) as Fen,
        category: (JSON.parse(r.doc) as { category: CategoryId }).category,
      },
    ]),
  );
}

/**
 * Accepted redemptions of this batch today (store time), chain-wide and by
 * this customer; counted only when the batch has a limit that needs them. On
 * PostgreSQL the batch row is locked first so two counters cannot both take
 * the last unit of a cap.
 */
async function usage(
  a: Attempt,
  batch: Batch,
  customerId: string | null,
): Promise<{ batch: number; customer: number }> {
  const needBatch = batch.dailyCap !== null;
  const needCustomer = batch.perCustomerDailyLimit !== null && customerId !== null;
  if (!needBatch && !needCustomer) return { batch: 0, customer: 0 };
  const { w } = a;
  if (w.dialect === 'postgres') {
    await sql`select id from batches where id = ${batch.id} for update`.execute(w.trx);
  }
  const base = w.trx
    .selectFrom('redemptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('batch_id', '=', batch.id)
    .where('day', '=', a.day)
    .where('status', '=', 'accepted');
  const total = needBatch ? Number((await base.executeTakeFirst())?.n ?? 0) : 0;
  const mine =
    needCustomer && customerId !== null
      ? Number((await base.where('customer_id', '=', customerId).executeTakeFirst())?.n ?? 0)
      : 0;
  return { batch: total, customer: mine };
}

function alreadyRedeemed(row: CodeRow): Reason {
  return {
    code: 'ALREADY_REDEEMED',
    at: row.redeemed_at ?? '1970-01-01T00:00:00.000Z',
    storeId: (row.redeemed_store_id ?? 'unknown') as StoreId,
    ...(row.redeemed_terminal_id === null
      ? {}
      : { terminalId: row.redeemed_terminal_id as TerminalId }),
    ...(row.redeemed_terminal_name === null ? {} : { terminalName: row.redeemed_terminal_name }),
  };
}

function winnerOf(row: CodeRow): Winner | null {
  if (!row.redemption_id || !row.redeemed_store_id || !row.redeemed_terminal_id || !row.redeemed_at)
    return null;
  return {
    redemptionId: row.redemption_id as ClientId,
    storeId: row.redeemed_store_id as StoreId,
    terminalId: row.redeemed_terminal_id as TerminalId,
    ...(row.redeemed_terminal_name === null ? {} : { terminalName: row.redeemed_terminal_name }),
    at: row.redeemed_at,
  };
}

/**
 * A refusal: online it is 'rejected'; offline it is a 'conflict' stored for a
 * manager, because the terminal already gave the discount.
 */
async function refuse(
  a: Attempt,
  reason: Reason,
  winner: Winner | null,
  batchId: BatchId | null,
): Promise<string> {
  if (!a.req.offline) return record(a, { status: 'rejected', reason }, batchId, 0 as Fen);
  const response = await record(a, { status: 'conflict', reason, winner }, batchId, 0 as Fen);
  await holdForReview(a, reason, winner, batchId);
  return response;
}

/** Stores an offline redemption's conflict for a manager, with the figure the till gave. */
async function holdForReview(
  a: Attempt,
  reason: Reason,
  winner: Winner | null,
  batchId: BatchId | null,
): Promise<void> {
  const { req, actor, w } = a;
  const claimedFen = req.offline?.discountFen ?? (0 as Fen);
  await w.trx
    .insertInto('conflicts')
    .values({
      redemption_id: req.id,
      code: req.code,
      batch_id: batchId,
      store_id: actor.storeId,
      terminal_id: actor.terminalId,
      reason: JSON.stringify(reason),
      winner_redemption_id: winner?.redemptionId ?? null,
      discount_fen: claimedFen,
      at: a.at,
      created_at: a.now,
      resolution: null,
      resolved_by: null,
      resolved_at: null,
    })
    .execute();
  await appendAudit(
    w,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: 'redemption.conflict',
      subject: `code:${req.code}`,
      before: null,
      after: { redemptionId: req.id, reason, winner, discountFen: claimedFen, at: a.at },
    },
    a.now,
  );
}

/**
 * Stores the outcome under the terminal's request id. If a concurrent request
 * with the same id got there first (its row appears on PostgreSQL once it
 * commits), this attempt is abandoned with AlreadyRecorded.
 */
async function record(
  a: Attempt,
  outcome: RedemptionOutcome,
  batchId: string | null,
  discountFen: Fen,
): Promise<string> {
  const { req, actor } = a;
  const response = JSON.stringify({ id: req.id, outcome } satisfies RedemptionResponse);
  const inserted = await insertRedemption(a.w, {
    id: req.id,
    code: req.code as VoucherCode,
    batch_id: batchId,
    store_id: actor.storeId,
    terminal_id: actor.terminalId,
    cashier_id: actor.cashierId,
    status: outcome.status,
    discount_fen: discountFen,
    day: a.day,
    customer_id: req.cart?.customerId ?? null,
    lease_id: req.offline?.leaseId ?? null,
    at: a.at,
    recorded_at: a.now,
    response,
    request_hash: a.hash,
  });
  // ON CONFLICT DO NOTHING inserts no row when the id is already recorded.
  if (Number(inserted.numAffectedRows ?? 0) !== 1) throw new AlreadyRecorded(req.id);
  return response;
}
