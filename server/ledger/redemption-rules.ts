import type { Insertable } from 'kysely';
import { verifySignedCode } from '../../core/codes';
import type { BatchId, ClientId, Sku, StoreId, TerminalId, VoucherCode } from '../../core/ids';
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
  type CatalogItem,
  type Judgement,
} from '../../core/rules';
import type { Batch, Candidate, Cart, EvaluationContext } from '../../core/vouchers';
import type { AuditInput } from '../audit/chain';
import type { TerminalActor } from '../auth/actors';
import type { ServerKeys } from '../auth/keys';
import type { CodeTable, ConflictTable, RedemptionTable } from '../db/schema';
import type { FeedEntry } from '../feed/changes';
import { HttpError } from '../http/errors';
import { isoUtc, localDate } from './time';

/**
 * The rules of one redemption, written once for the single online path
 * (redeem.ts) and the set-based batch path (batch-redeem.ts): what they read
 * differs (one row at a time, or the whole batch at once), what they decide
 * and store from it does not.
 */

/** A code row as the ledger reads it, with the name of the till that redeemed it. */
export type CodeRow = Pick<
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

/** When a redemption counts: now online; offline the terminal's time, never later than now. */
export function redemptionTime(
  req: RedemptionRequest,
  now: string,
  timeZone: string,
): { readonly at: string; readonly day: string } {
  const requestedAt = isoUtc(req.at);
  const at = req.offline && requestedAt < now ? requestedAt : now;
  return { at, day: localDate(at, timeZone) };
}

/** The same redemption id again with another request: refused, never answered from the store. */
export function idempotencyKeyReused(id: string): HttpError {
  return new HttpError(
    409,
    'IDEMPOTENCY_KEY_REUSED',
    `Redemption ${id} was already sent by this terminal with a different request; a new redemption needs a new id.`,
  );
}

/** A stored row answers a request when its hash matches (or it has none: a NOT_RECEIVED settlement). */
export function replayOf(
  id: string,
  stored: { readonly request_hash: string | null; readonly response: string },
  hashOf: string,
): string {
  if (stored.request_hash !== null && stored.request_hash !== hashOf)
    throw idempotencyKeyReused(id);
  return stored.response;
}

/** Why a code the table does not have is refused. Only misses are checked for a signature. */
export function missingCodeReason(keys: ServerKeys, code: string): Reason {
  const signature = verifySignedCode(keys.codePublicKeyHex, code);
  const forged = !signature.ok && (signature.code === 'FORGED' || signature.code === 'MALFORMED');
  return { code: forged ? 'FORGED_CODE' : 'UNKNOWN_CODE' };
}

/** Why a code that is no longer issued is refused (void, or redeemed by someone). */
export function unavailableReason(row: CodeRow): Reason {
  return row.state === 'void' ? { code: 'CODE_VOID' } : alreadyRedeemed(row);
}

export function alreadyRedeemed(row: CodeRow): Reason {
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

export function winnerOf(row: CodeRow): Winner | null {
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
 * One of the order's other vouchers as a candidate. One this terminal redeemed is part of the
 * same order (the till sends the codes it already applied), so it does not count as used elsewhere.
 */
export function companionCandidate(
  code: VoucherCode,
  row: CodeRow,
  batch: Batch,
  actor: TerminalActor,
): Candidate {
  const ours = row.redeemed_terminal_id === actor.terminalId;
  return {
    code,
    batch,
    claimedAt: row.claimed_at,
    redeemed:
      ours || row.redeemed_at === null || row.redeemed_store_id === null
        ? null
        : { at: row.redeemed_at, storeId: row.redeemed_store_id as StoreId },
  };
}

/** The order's other voucher codes, each once, without the one being redeemed. */
export function companionCodes(req: RedemptionRequest): VoucherCode[] {
  if (req.cart === null) return [];
  return [...new Set(req.companions ?? [])].filter((c) => c !== req.code);
}

/**
 * The order as the catalog prices it (null without a cart), or the PRICE_MISMATCH refusal.
 * `itemOf` answers only for the SKUs judging this order needs (skusToPrice).
 */
export function pricedOrder(
  cart: Cart | null,
  itemOf: (sku: Sku) => CatalogItem | null,
):
  | { readonly ok: true; readonly cart: Cart | null }
  | { readonly ok: false; readonly reason: Reason } {
  return cart === null ? { ok: true, cart: null } : cartAtCatalogPrices(cart, itemOf);
}

/** Which of today's counts a batch's limits need for this order. */
export function usageNeeds(
  batch: Batch,
  customerId: string | null,
): { readonly batch: boolean; readonly customer: boolean } {
  return {
    batch: batch.dailyCap !== null,
    customer: batch.perCustomerDailyLimit !== null && customerId !== null,
  };
}

export type UsageToday = EvaluationContext['usageToday'];

/**
 * The companions of one batch the evaluation takes as vouchers of this order: those not taken as
 * already redeemed elsewhere (companionCandidate). Their accepted uses today are this order's own:
 * left out of today's usage and passed as JudgeInput.orderUsesToday, so each counts once.
 */
export function orderCodesOf(companions: readonly Candidate[], batchId: BatchId): VoucherCode[] {
  return companions.filter((c) => c.batch.id === batchId && c.redeemed === null).map((c) => c.code);
}

/** The core judgement on data already loaded: the order priced, companions and today's usage. */
export function judgeLoaded(input: {
  readonly actor: TerminalActor;
  readonly at: string;
  readonly target: Candidate;
  readonly companions: readonly Candidate[];
  readonly cart: Cart | null;
  readonly itemOf: (sku: Sku) => CatalogItem | null;
  /** Today's uses other than this order's own (orderUsesToday). */
  readonly usageToday: UsageToday;
  readonly orderUsesToday: UsageToday;
}): Judgement {
  const { actor, itemOf } = input;
  const context: EvaluationContext = {
    now: input.at,
    storeId: actor.storeId as StoreId,
    storeGroupIds: actor.groupIds as EvaluationContext['storeGroupIds'],
    timeZone: actor.timeZone,
    usageToday: input.usageToday,
  };
  return judgeVoucher({
    target: input.target,
    companions: input.companions,
    cart: input.cart,
    context,
    priceOf: (sku) => itemOf(sku)?.priceFen ?? null,
    orderUsesToday: input.orderUsesToday,
  });
}

/**
 * The outcome of a code that was taken. Offline, the customer already has the discount the till
 * gave: a figure other than the server's is held for a manager (the code is used either way),
 * never stored as the amount.
 */
export function takenOutcome(
  req: RedemptionRequest,
  actor: TerminalActor,
  batchId: BatchId,
  discountFen: Fen,
  at: string,
): { readonly outcome: RedemptionOutcome; readonly claimedFen: Fen | null } {
  const claimed = req.offline?.discountFen;
  if (claimed !== undefined && claimed !== discountFen)
    return {
      outcome: {
        status: 'conflict',
        reason: { code: 'DISCOUNT_MISMATCH', claimedFen: claimed, valuedFen: discountFen },
        winner: null,
      },
      claimedFen: claimed,
    };
  return {
    outcome: {
      status: 'accepted',
      redemptionId: req.id,
      code: req.code,
      batchId,
      discountFen,
      storeId: actor.storeId as StoreId,
      terminalId: actor.terminalId as TerminalId,
      at,
    },
    claimedFen: null,
  };
}

/** A refusal: online it is 'rejected'; offline a 'conflict', the terminal already gave the discount. */
export function refusalOutcome(
  req: RedemptionRequest,
  reason: Reason,
  winner: Winner | null,
): RedemptionOutcome {
  return req.offline ? { status: 'conflict', reason, winner } : { status: 'rejected', reason };
}

/** What one redemption decided, before it is stored. */
export interface Recorded {
  readonly outcome: RedemptionOutcome;
  readonly batchId: BatchId | null;
  readonly discountFen: Fen;
}

/** The stored answer, returned byte for byte on every replay. */
export function responseText(req: RedemptionRequest, outcome: RedemptionOutcome): string {
  return JSON.stringify({ id: req.id, outcome } satisfies RedemptionResponse);
}

export function redemptionRow(
  req: RedemptionRequest,
  actor: TerminalActor,
  recorded: Recorded,
  when: { readonly at: string; readonly day: string; readonly now: string },
  response: string,
  requestHash: string,
): Insertable<RedemptionTable> {
  return {
    id: req.id,
    code: req.code,
    batch_id: recorded.batchId,
    store_id: actor.storeId,
    terminal_id: actor.terminalId,
    cashier_id: actor.cashierId,
    status: recorded.outcome.status,
    discount_fen: recorded.discountFen,
    day: when.day,
    customer_id: req.cart?.customerId ?? null,
    lease_id: req.offline?.leaseId ?? null,
    at: when.at,
    recorded_at: when.now,
    response,
    request_hash: requestHash,
  };
}

const actorName = (actor: TerminalActor): string =>
  actor.cashierId ?? `terminal:${actor.terminalId}`;

/** An offline redemption's conflict held for a manager, with the figure the till gave. */
export function conflictRecord(
  req: RedemptionRequest,
  actor: TerminalActor,
  reason: Reason,
  winner: Winner | null,
  batchId: BatchId | null,
  when: { readonly at: string; readonly now: string },
): { readonly row: ConflictTable; readonly audit: AuditInput } {
  const claimedFen = req.offline?.discountFen ?? (0 as Fen);
  return {
    row: {
      redemption_id: req.id,
      code: req.code,
      batch_id: batchId,
      store_id: actor.storeId,
      terminal_id: actor.terminalId,
      reason: JSON.stringify(reason),
      winner_redemption_id: winner?.redemptionId ?? null,
      discount_fen: claimedFen,
      at: when.at,
      created_at: when.now,
      resolution: null,
      resolved_by: null,
      resolved_at: null,
    },
    audit: {
      actor: actorName(actor),
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: 'redemption.conflict',
      subject: `code:${req.code}`,
      before: null,
      after: { redemptionId: req.id, reason, winner, discountFen: claimedFen, at: when.at },
    },
  };
}

/** The feed change and audit entry of a code taken by this redemption. */
export function takenRecords(
  req: RedemptionRequest,
  actor: TerminalActor,
  batchId: BatchId,
  claimedAt: string | null,
  discountFen: Fen,
  claimedFen: Fen | null,
  at: string,
): { readonly change: FeedEntry; readonly audit: AuditInput } {
  const state: CodeState = {
    code: req.code,
    batchId,
    state: 'redeemed',
    claimedAt,
    redeemed: { at, storeId: actor.storeId as StoreId, terminalId: actor.terminalId as TerminalId },
  };
  return {
    change: { change: { type: 'code', code: state }, batchId },
    audit: {
      actor: actorName(actor),
      terminalId: actor.terminalId,
      storeId: actor.storeId,
      action: req.offline ? 'redemption.accepted_offline' : 'redemption.accepted',
      subject: `code:${req.code}`,
      before: { state: 'issued' },
      // Keys in sorted order: canonicalJson then writes it with one JSON.stringify.
      after:
        claimedFen !== null
          ? { at, claimedFen, discountFen, redemptionId: req.id, state: 'redeemed' }
          : { at, discountFen, redemptionId: req.id, state: 'redeemed' },
    },
  };
}
