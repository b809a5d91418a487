import { sql, type Insertable } from 'kysely';
import { verifySignedCode } from '../../core/codes';
import type { ClientId, Sku, StoreId, TerminalId, VoucherCode, BatchId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type {
  CodeState,
  RedemptionOutcome,
  RedemptionRequest,
  RedemptionResponse,
  Winner,
} from '../../core/protocol';
import type { Reason } from '../../core/reasons';
import { evaluate, evaluateQuick } from '../../core/rules';
import type { Batch, Candidate, EvaluationContext } from '../../core/vouchers';
import type { TerminalActor } from '../auth/actors';
import type { ServerKeys } from '../auth/keys';
import type { CodeTable, RedemptionTable } from '../db/schema';
import { prepared, type Queryable, type Slots } from '../db/prepared';
import type { WriteTx } from '../db/storage';
import { appendAudit } from '../audit/chain';
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
const selectResponse = prepared((db, p: Slots<{ id: string }>) =>
  db.selectFrom('redemptions').select('response').where('id', '=', p('id')),
);

const selectCode = prepared((db, p: Slots<{ code: string }>) =>
  db
    .selectFrom('codes')
    .innerJoin('batches', 'batches.id', 'codes.batch_id')
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
    ])
    .where('codes.code', '=', p('code')),
);

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
    })
    // No RETURNING to learn whether it inserted: the affected-row count says so on both
    // databases, and on SQLite RETURNING doubled the cost of this insert.
    .onConflict((oc) => oc.column('id').doNothing()),
);

/** The stored answer for a redemption id, or undefined. */
export async function storedResponse(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await selectResponse(db, { id });
  return rows[0]?.response;
}

interface Attempt {
  readonly w: WriteTx;
  readonly deps: LedgerDeps;
  readonly actor: TerminalActor;
  readonly req: RedemptionRequest;
  /** Server clock. */
  readonly now: string;
  /** When the redemption happened: now online, the terminal's time (never later than now) offline. */
  readonly at: string;
  readonly day: string;
}

/**
 * Redeems one code inside the caller's transaction and returns the serialized
 * RedemptionResponse, stored under the request id so a replay gets the same
 * bytes. Online requests are judged now against the server's data; offline
 * ones at the time they were made, charged to their lease, and every refusal
 * of an offline one is a stored conflict (the customer already has the goods).
 */
export async function redeem(
  w: WriteTx,
  deps: LedgerDeps,
  actor: TerminalActor,
  req: RedemptionRequest,
  now: string,
): Promise<string> {
  const prior = await storedResponse(w, req.id);
  if (prior !== undefined) return prior;
  const requestedAt = isoUtc(req.at);
  const at = req.offline && requestedAt < now ? requestedAt : now;
  const a: Attempt = { w, deps, actor, req, now, at, day: localDate(at, actor.timeZone) };

  if (req.offline) {
    const limit = await chargeLease(w, actor, req.offline, at);
    if (limit !== null) return refuse(a, { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit }, null, null);
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

  const judged = await judge(a, batch, row.claimed_at);
  if (!judged.ok) return refuse(a, judged.reason, null, batch.id);
  const discountFen = req.offline ? req.offline.discountFen : judged.discountFen;

  const taken = await takeCode(w, {
    code: req.code,
    redeemed_at: at,
    redeemed_store_id: actor.storeId,
    redeemed_terminal_id: actor.terminalId,
    redemption_id: req.id,
  });
  if (Number(taken.numAffectedRows ?? 0) !== 1) {
    // Lost a race: another counter redeemed (or a manager voided) it after we read it.
    const now2 = await w.trx
      .selectFrom('codes')
      .selectAll()
      .where('code', '=', req.code)
      .executeTakeFirstOrThrow();
    const reason: Reason = now2.state === 'void' ? { code: 'CODE_VOID' } : alreadyRedeemed(now2);
    return refuse(a, reason, winnerOf(now2), batch.id);
  }

  const outcome: RedemptionOutcome = {
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
  const state: CodeState = {
    code: req.code,
    batchId: batch.id,
    state: 'redeemed',
    claimedAt: row.claimed_at,
    redeemed: { at, storeId: actor.storeId as StoreId },
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
      after: { at, discountFen, redemptionId: req.id, state: 'redeemed' },
    },
    now,
  );
  return response;
}

type Judgement = { ok: true; discountFen: Fen } | { ok: false; reason: Reason };

/** Runs the core rule engine against the server's data for this store and day. */
async function judge(a: Attempt, batch: Batch, claimedAt: string | null): Promise<Judgement> {
  const { req, actor } = a;
  const customerId = req.cart?.customerId ?? null;
  const context: EvaluationContext = {
    now: a.at,
    storeId: actor.storeId as StoreId,
    storeGroupIds: actor.groupIds as EvaluationContext['storeGroupIds'],
    timeZone: actor.timeZone,
    usageToday: {
      [batch.id]: await usageToday(a, batch, customerId),
    },
  };
  const candidate: Candidate = { code: req.code, batch, claimedAt, redeemed: null };
  if (req.cart === null) {
    const prices = await pricesFor(a, batch);
    const quick = evaluateQuick(candidate, context, (sku: Sku) => prices.get(sku) ?? null);
    return quick.ok
      ? { ok: true, discountFen: quick.discountFen }
      : { ok: false, reason: quick.reason };
  }
  const evaluation = evaluate(req.cart, [candidate], context);
  const applied = evaluation.applied.find((v) => v.code === req.code);
  if (applied) return { ok: true, discountFen: applied.discountFen };
  const refused = evaluation.refused.find((v) => v.code === req.code);
  return { ok: false, reason: refused?.reason ?? { code: 'NO_ELIGIBLE_ITEMS' } };
}

/**
 * Accepted redemptions of this batch today (store time), chain-wide and by
 * this customer; counted only when the batch has a limit that needs them. On
 * PostgreSQL the batch row is locked first so two counters cannot both take
 * the last unit of a cap.
 */
async function usageToday(
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

/** Prices of the SKUs a gift or group-buy voucher gives, for a quick redeem with no cart. */
async function pricesFor(a: Attempt, batch: Batch): Promise<Map<string, Fen>> {
  const skus =
    batch.benefit.kind === 'gift'
      ? [batch.benefit.sku]
      : batch.benefit.kind === 'group_buy'
        ? batch.benefit.items.map((i) => i.sku)
        : [];
  if (skus.length === 0) return new Map();
  const rows = await a.w.trx
    .selectFrom('products')
    .select(['sku', 'price_fen'])
    .where('sku', 'in', skus)
    .execute();
  return new Map(rows.map((r) => [r.sku, Number(r.price_fen) as Fen]));
}

function alreadyRedeemed(row: Pick<CodeTable, 'redeemed_at' | 'redeemed_store_id'>): Reason {
  return {
    code: 'ALREADY_REDEEMED',
    at: row.redeemed_at ?? '1970-01-01T00:00:00.000Z',
    storeId: (row.redeemed_store_id ?? 'unknown') as StoreId,
  };
}

function winnerOf(
  row: Pick<
    CodeTable,
    'redemption_id' | 'redeemed_store_id' | 'redeemed_terminal_id' | 'redeemed_at'
  >,
): Winner | null {
  if (!row.redemption_id || !row.redeemed_store_id || !row.redeemed_terminal_id || !row.redeemed_at)
    return null;
  return {
    redemptionId: row.redemption_id as ClientId,
    storeId: row.redeemed_store_id as StoreId,
    terminalId: row.redeemed_terminal_id as TerminalId,
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
  const { req, actor, w } = a;
  if (!req.offline) return record(a, { status: 'rejected', reason }, batchId, 0 as Fen);
  const outcome: RedemptionOutcome = { status: 'conflict', reason, winner };
  const response = await record(a, outcome, batchId, 0 as Fen);
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
      discount_fen: req.offline.discountFen,
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
      after: {
        redemptionId: req.id,
        reason,
        winner,
        discountFen: req.offline.discountFen,
        at: a.at,
      },
    },
    a.now,
  );
  return response;
}

/**
 * Stores the outcome under the request id. If a concurrent request with the
 * same id got there first (its row appears on PostgreSQL once it commits),
 * this attempt is abandoned with AlreadyRecorded.
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
  });
  // ON CONFLICT DO NOTHING inserts no row when the id is already recorded.
  if (Number(inserted.numAffectedRows ?? 0) !== 1) throw new AlreadyRecorded(req.id);
  return response;
}
