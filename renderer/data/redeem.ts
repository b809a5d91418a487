import type { VoucherCode } from '../../core/ids';
import { ZERO, type Fen } from '../../core/money';
import type { RedemptionOutcome, RedemptionRequest } from '../../core/protocol/index';
import type { Reason } from '../../core/reasons';
import type { Candidate, Cart } from '../../core/vouchers';
import { localRedemptionOf } from './catalog';
import { isoAt } from './deps';
import { chargeLeaseUsage, decideOffline, decisionTables } from './offline-decision';
import type { RedemptionRecord } from './records';
import type { ProtocolProblem } from './network-trouble';
import { storageNearlyFull } from './storage-health';
import { salePushed, unpushedVoidOf } from './void-here';
import type { TerminalContext } from './terminal-context';

/** What the cashier is told about one redemption. */
export type RedeemResult =
  | {
      readonly kind: 'accepted';
      readonly record: RedemptionRecord;
      readonly discountFen: Fen;
      /** Accepted offline under the lease; the server has not confirmed it yet. */
      readonly pendingSync: boolean;
    }
  | {
      readonly kind: 'refused';
      readonly record: RedemptionRecord | null;
      readonly reason: Reason;
      readonly decidedBy: 'server' | 'terminal';
    }
  | {
      readonly kind: 'conflict';
      readonly record: RedemptionRecord;
      readonly outcome: Extract<RedemptionOutcome, { status: 'conflict' }>;
    }
  /** Nothing was redeemed: storage failed, or the server refused the request itself (4xx). */
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

export interface RedeemInput {
  readonly code: VoucherCode;
  readonly cart: Cart | null;
  readonly saleId: string | null;
  readonly companions: readonly VoucherCode[];
}

/** An order's vouchers, redeemed together at Pay. */
export interface SaleRedeemInput {
  readonly codes: readonly VoucherCode[];
  readonly cart: Cart;
  readonly saleId: string;
}

export interface SaleRedemption {
  readonly code: VoucherCode;
  readonly result: RedeemResult;
}

export interface Redeemer {
  readonly redeem: (input: RedeemInput) => Promise<RedeemResult>;
  /** Redeems an order's vouchers, each write-ahead; one answer per code, in the order given. */
  readonly redeemSale: (input: SaleRedeemInput) => Promise<SaleRedemption[]>;
}

export interface RedeemerOptions extends TerminalContext {
  /** Tells the drainer (in whichever tab holds the lock) that the queue grew. */
  readonly nudgeQueue: () => void;
  /** A server answer that broke the protocol: shown to the cashier, never swallowed. */
  readonly onProtocolError: (problem: ProtocolProblem) => void;
  /** How long an online scan of a code voided here waits for the void's push (default 3 s). */
  readonly voidWaitMs?: number;
}

const VOID_WAIT_MS = 3_000;

/**
 * Redeems one voucher, write-ahead: the record is durable in IndexedDB before the request leaves
 * and before the screen may say "accepted". Online, the server decides and its outcome is stored;
 * when the server cannot be reached, the offline rules decide and the record waits for the drainer.
 *
 * ## Unconfirmed redemptions (an online attempt whose fate is unknown)
 * Once the online request has left, a failure other than a definite 4xx answer (timeout, cut
 * connection, 5xx, an unreadable answer) does not tell whether the server redeemed it: the bytes
 * may have arrived and been committed just before the line went quiet. The browser cannot tell a
 * refused connection from a cut one, so every such failure is treated as "may have arrived". The
 * offline rules then decide what the cashier is told, and the record keeps the same id:
 * - accepted offline: the record becomes an ordinary offline item (request.offline set) and is
 *   pushed. The server answers by id, so if the online attempt did arrive the push gets the stored
 *   outcome of that attempt instead of a second redemption; if it differs from what the cashier
 *   was told (a refusal, or another amount), the record is flagged for the cashier (push.ts).
 * - refused offline: the cashier told the customer "no", so this terminal must never redeem it
 *   later: pushing it would redeem a code for which the customer got nothing. Marking it
 *   'rejected' would guess too: the server may have accepted the lost attempt, burning the code.
 *   It becomes 'unconfirmed' — never pushed, shown as such in the queue view, and it does not
 *   count as a local use of the code (the customer may present it again; the server, or the
 *   offline rules, judge that scan on its own). Once online, the drainer settles it with
 *   `POST /v1/redemptions/:id/settle` (settle.ts), which answers with the server's outcome for the
 *   id without redeeming it — storing a NOT_RECEIVED refusal when the request never arrived, so a
 *   late copy cannot redeem either. Accepted: the code was used while the customer was told "no";
 *   the record becomes 'synced', flagged for the cashier. Refused: it becomes 'rejected'.
 * A record left 'sending' by a tab that died mid-call is unconfirmed for the same reason
 * (sync-engine.ts).
 */
export function createRedeemer(options: RedeemerOptions): Redeemer {
  const { db, api, deps, terminal, connectivity, storage } = options;

  async function write(op: () => Promise<unknown>): Promise<boolean> {
    try {
      await op();
      if (storage.problem()?.kind === 'database' || storage.problem()?.kind === 'quota')
        storage.set(null);
      return true;
    } catch (error) {
      storage.report(error);
      return false;
    }
  }

  const writeFailed = (): RedeemResult =>
    storageError(storage.problem()?.kind === 'quota' ? 'QUOTA' : 'STORAGE');

  function recordFor(input: RedeemInput): RedemptionRecord {
    const nowMs = deps.now();
    const request: RedemptionRequest = {
      id: deps.newId(),
      code: input.code,
      storeId: terminal.store.id,
      terminalId: terminal.terminalId,
      at: isoAt(nowMs),
      cart: input.cart,
      ...(input.cart === null || input.companions.length === 0
        ? {}
        : { companions: input.companions.filter((c) => c !== input.code) }),
      offline: null,
    };
    return {
      id: request.id,
      code: input.code,
      batchId: null,
      request,
      state: 'sending',
      decidedBy: null,
      discountFen: ZERO,
      outcome: null,
      createdAt: nowMs,
      updatedAt: nowMs,
      saleId: input.saleId,
      attempts: 0,
      lastError: null,
      queued: 1,
      unseenConflict: 0,
    };
  }

  async function redeem(input: RedeemInput): Promise<RedeemResult> {
    const record = recordFor(input);
    // Known to be offline: nothing will be sent, so the decision and its record are written
    // together in one transaction (still before the screen says anything).
    if (!connectivity.online()) return one(await decideHere([{ record, input }], false));
    // A code this till voided is still used on the server until the void is pushed: asking the
    // server before then would tell the cashier "already redeemed". The drainer is woken and the
    // scan (still "checking") waits for the push; should it not come in time, the offline rules
    // decide, and the drainer pushes the redemption after the void (sales-push.ts voidBarrier).
    if (!(await voidPushedFirst(input.code)))
      return one(await decideHere([{ record, input }], false));

    // One code once on this terminal, even before the server has heard of the first use; the
    // check and the write-ahead are one transaction, so two quick scans cannot both pass.
    let usedHere: Candidate['redeemed'] = null;
    const wrote = await write(() =>
      db.transaction('rw', db.redemptions, async () => {
        usedHere = await localRedemptionOf(db, input.code);
        if (!usedHere) await db.redemptions.add(record);
      }),
    );
    if (!wrote) return writeFailed();
    if (usedHere) return refusedHere(usedHere);

    record.attempts = 1;
    const sent = await api.redeem(record.request);
    if (sent.ok) {
      connectivity.markOnline();
      return settle(record, sent.value.outcome);
    }
    if (sent.code === 'BAD_RESPONSE') options.onProtocolError(sent);
    if (!sent.offline && sent.code !== 'BAD_RESPONSE') {
      // The server refused the request itself (4xx): nothing was redeemed.
      await write(() =>
        db.redemptions.update(record.id, {
          state: 'rejected',
          decidedBy: 'server',
          queued: 0,
          attempts: 1,
          lastError: sent.message,
          updatedAt: deps.now(),
        }),
      );
      return { kind: 'error', code: sent.code, message: sent.message };
    }
    if (sent.offline) connectivity.markOffline(sent.message);
    record.lastError = sent.message;
    return one(await decideHere([{ record, input }], true));
  }

  /** True when no void of this code waits for the push, or once it has been pushed. */
  async function voidPushedFirst(code: VoucherCode): Promise<boolean> {
    let voidId: Awaited<ReturnType<typeof unpushedVoidOf>>;
    try {
      voidId = await unpushedVoidOf(db, code);
    } catch (error) {
      storage.report(error);
      return false;
    }
    if (voidId === null) return true;
    options.nudgeQueue();
    return salePushed(db, voidId, options.voidWaitMs ?? VOID_WAIT_MS, (end) =>
      connectivity.subscribe((online) => {
        if (!online) end();
      }),
    );
  }

  /**
   * Known to be offline, the order's vouchers are decided one after another in one read-write
   * transaction: each sees the records and the lease charges of those before it, exactly as
   * separate redemptions in that order would (and as the server judges them when they are
   * pushed), and none is shown before all are durable. Online, each goes to the server in turn.
   */
  async function redeemSale(input: SaleRedeemInput): Promise<SaleRedemption[]> {
    const inputs = input.codes.map((code): RedeemInput => ({
      code,
      cart: input.cart,
      saleId: input.saleId,
      companions: input.codes,
    }));
    if (!connectivity.online())
      return decideHere(
        inputs.map((i) => ({ record: recordFor(i), input: i })),
        false,
      );
    const redeemed: SaleRedemption[] = [];
    for (const i of inputs) redeemed.push({ code: i.code, result: await redeem(i) });
    return redeemed;
  }

  async function settle(
    record: RedemptionRecord,
    outcome: RedemptionOutcome,
  ): Promise<RedeemResult> {
    const changes: Partial<RedemptionRecord> = {
      outcome,
      decidedBy: 'server',
      queued: 0,
      attempts: record.attempts,
      updatedAt: deps.now(),
    };
    switch (outcome.status) {
      case 'accepted':
        Object.assign(changes, {
          state: 'synced',
          batchId: outcome.batchId,
          discountFen: outcome.discountFen,
        });
        break;
      case 'rejected':
        changes.state = 'rejected';
        break;
      case 'conflict':
        Object.assign(changes, { state: 'conflict', unseenConflict: 1 });
        break;
    }
    // The server has decided; if this write fails the record stays 'sending' and the cashier is
    // told the truth from the server's answer anyway.
    await write(() => db.redemptions.update(record.id, changes));
    const stored = { ...record, ...changes } as RedemptionRecord;
    switch (outcome.status) {
      case 'accepted':
        return {
          kind: 'accepted',
          record: stored,
          discountFen: outcome.discountFen,
          pendingSync: false,
        };
      case 'rejected':
        return { kind: 'refused', record: stored, reason: outcome.reason, decidedBy: 'server' };
      case 'conflict':
        return { kind: 'conflict', record: stored, outcome };
    }
  }

  /**
   * The offline rules decide, and the record they produce is written in the same read-write
   * transaction as every read they made: the answer on screen is durable before it is shown, and
   * no other scan (this tab or another) can slip in between the check and the write.
   * Several redemptions (an order's vouchers) share the transaction, decided in turn: all are
   * durable, or none is and each is told so.
   * `sent`: the records were written ahead and their online requests left (see "Unconfirmed").
   */
  async function decideHere(
    items: readonly { readonly record: RedemptionRecord; readonly input: RedeemInput }[],
    sent: boolean,
  ): Promise<SaleRedemption[]> {
    const problem =
      storage.problem() ?? ((await storageNearlyFull()) ? { kind: 'nearly_full' as const } : null);
    if (problem) {
      storage.set(problem);
      if (sent)
        await write(() =>
          db.redemptions.bulkUpdate(
            items.map(({ record }) => ({
              key: record.id,
              changes: {
                state: 'unconfirmed' as const,
                decidedBy: 'terminal' as const,
                queued: 0 as const,
                lastError: 'storage',
                updatedAt: deps.now(),
              },
            })),
          ),
        );
      const code = problem.kind === 'database' ? 'STORAGE' : 'QUOTA';
      return items.map(({ input }) => ({ code: input.code, result: storageError(code) }));
    }

    const decided: SaleRedemption[] = [];
    const wrote = await write(() =>
      db.transaction('rw', decisionTables(db), async () => {
        for (const { record, input } of items)
          decided.push({ code: input.code, result: await decideOne(record, input, sent) });
      }),
    );
    // Accepted only once the decisions are durable: a crash after the commit loses nothing.
    // A record written ahead stays 'sending'; the drainer later marks it unconfirmed.
    if (!wrote || decided.length !== items.length)
      return items.map(({ input }) => ({ code: input.code, result: writeFailed() }));
    if (decided.some((d) => d.result.kind === 'accepted')) options.nudgeQueue();
    return decided;
  }

  /** One offline decision and its record, inside decideHere's read-write transaction. */
  async function decideOne(
    record: RedemptionRecord,
    input: RedeemInput,
    sent: boolean,
  ): Promise<RedeemResult> {
    // Both only read: the check of this till's own use goes out with the decision's look-ups.
    const [usedHere, decision] = await Promise.all([
      sent ? null : localRedemptionOf(db, input.code),
      decideOffline(db, {
        terminal,
        code: input.code,
        cart: input.cart,
        companions: input.companions,
        saleId: input.saleId,
        redemptionId: record.id,
        nowMs: deps.now(),
      }),
    ]);
    if (usedHere) return refusedHere(usedHere);
    const updatedAt = deps.now();
    if (!decision.ok) {
      const stored: RedemptionRecord = {
        ...record,
        state: sent ? 'unconfirmed' : 'rejected',
        decidedBy: 'terminal',
        batchId: decision.batchId,
        outcome: { status: 'rejected', reason: decision.reason },
        queued: 0,
        updatedAt,
      };
      await db.redemptions.put(stored);
      return { kind: 'refused', record: stored, reason: decision.reason, decidedBy: 'terminal' };
    }
    const stored: RedemptionRecord = {
      ...record,
      state: 'pending',
      decidedBy: 'terminal',
      batchId: decision.batchId,
      discountFen: decision.discountFen,
      request: {
        ...record.request,
        offline: { leaseId: decision.lease.leaseId, discountFen: decision.discountFen },
      },
      queued: 1,
      updatedAt,
    };
    // Both writes go out together; the transaction makes them one.
    await Promise.all([chargeLeaseUsage(db, decision), db.redemptions.put(stored)]);
    return {
      kind: 'accepted',
      record: stored,
      discountFen: decision.discountFen,
      pendingSync: true,
    };
  }

  return { redeem, redeemSale };
}

/** The answer of a decideHere call made for one redemption. */
function one(decided: readonly SaleRedemption[]): RedeemResult {
  const [only] = decided;
  if (only === undefined) throw new Error('decideHere answered nothing for one redemption');
  return only.result;
}

function refusedHere(usedHere: NonNullable<Candidate['redeemed']>): RedeemResult {
  return {
    kind: 'refused',
    record: null,
    // The record of that use is this till's own, so it names this till: "this till redeemed it at
    // 13:15", not "already redeemed at <our own store>".
    reason: {
      code: 'ALREADY_REDEEMED',
      at: usedHere.at,
      storeId: usedHere.storeId,
      ...(usedHere.terminalId === undefined ? {} : { terminalId: usedHere.terminalId }),
    },
    decidedBy: 'terminal',
  };
}

function storageError(code: 'QUOTA' | 'STORAGE'): RedeemResult {
  return {
    kind: 'error',
    code,
    message:
      code === 'QUOTA'
        ? 'This terminal has run out of storage space; the voucher was not redeemed.'
        : 'This terminal could not save the redemption; the voucher was not redeemed.',
  };
}
