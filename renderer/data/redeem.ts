import type { VoucherCode } from '../../core/ids';
import { ZERO, type Fen } from '../../core/money';
import type { RedemptionOutcome, RedemptionRequest } from '../../core/protocol/index';
import type { Reason } from '../../core/reasons';
import type { Cart } from '../../core/vouchers';
import type { ApiClient } from './api-client';
import { localRedemptionOf } from './catalog';
import type { Connectivity } from './connectivity';
import type { TillpointDb } from './db';
import { isoAt, type Deps } from './deps';
import { decideOffline } from './offline-decision';
import type { RedemptionRecord, TerminalRecord } from './records';
import { storageNearlyFull, type StorageHealth } from './storage-health';

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

export interface Redeemer {
  readonly redeem: (input: RedeemInput) => Promise<RedeemResult>;
}

export interface RedeemerOptions {
  readonly db: TillpointDb;
  readonly api: ApiClient;
  readonly deps: Deps;
  readonly terminal: TerminalRecord;
  readonly connectivity: Connectivity;
  readonly storage: StorageHealth;
  /** Tells the drainer (in whichever tab holds the lock) that the queue grew. */
  readonly nudgeQueue: () => void;
  /** A server answer that broke the protocol: shown to the cashier, never swallowed. */
  readonly onProtocolError: (message: string) => void;
}

/**
 * Redeems one voucher, write-ahead: the record is durable in IndexedDB before the request leaves
 * and before the screen may say "accepted". Online, the server decides and its outcome is stored;
 * when the server cannot be reached, the offline rules decide and the record waits for the drainer.
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

  async function redeem(input: RedeemInput): Promise<RedeemResult> {
    const nowMs = deps.now();
    // One code once on this terminal, even before the server has heard of the first use.
    const usedHere = await localRedemptionOf(db, input.code);
    if (usedHere)
      return {
        kind: 'refused',
        record: null,
        reason: { code: 'ALREADY_REDEEMED', at: usedHere.at, storeId: usedHere.storeId },
        decidedBy: 'terminal',
      };

    const request: RedemptionRequest = {
      id: deps.newId(),
      code: input.code,
      storeId: terminal.store.id,
      terminalId: terminal.terminalId,
      at: isoAt(nowMs),
      cart: input.cart,
      offline: null,
    };
    const record: RedemptionRecord = {
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
    if (!(await write(() => db.redemptions.add(record))))
      return storageError(storage.problem()?.kind === 'quota' ? 'QUOTA' : 'STORAGE');

    if (connectivity.online()) {
      record.attempts = 1;
      const sent = await api.redeem(request);
      if (sent.ok) {
        connectivity.markOnline();
        return settle(record, sent.value.outcome);
      }
      if (sent.code === 'BAD_RESPONSE') options.onProtocolError(sent.message);
      if (!sent.offline && sent.code !== 'BAD_RESPONSE') {
        // The server refused the request itself: nothing was redeemed.
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
    }
    return decideHere(record, input);
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
    // told the truth from the server's answer anyway (the id makes a later push harmless).
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

  async function decideHere(record: RedemptionRecord, input: RedeemInput): Promise<RedeemResult> {
    const problem =
      storage.problem() ?? ((await storageNearlyFull()) ? { kind: 'nearly_full' as const } : null);
    if (problem) {
      storage.set(problem);
      await write(() =>
        db.redemptions.update(record.id, {
          state: 'rejected',
          decidedBy: 'terminal',
          queued: 0,
          lastError: 'storage',
          updatedAt: deps.now(),
        }),
      );
      return storageError(problem.kind === 'database' ? 'STORAGE' : 'QUOTA');
    }
    const decision = await decideOffline(db, {
      terminal,
      code: input.code,
      cart: input.cart,
      companions: input.companions,
      saleId: input.saleId,
      redemptionId: record.id,
      nowMs: deps.now(),
    });
    if (!decision.ok) {
      const outcome: RedemptionOutcome = { status: 'rejected', reason: decision.reason };
      const changes: Partial<RedemptionRecord> = {
        state: 'rejected',
        decidedBy: 'terminal',
        batchId: decision.batchId,
        outcome,
        queued: 0,
        updatedAt: deps.now(),
      };
      await write(() => db.redemptions.update(record.id, changes));
      return {
        kind: 'refused',
        record: { ...record, ...changes } as RedemptionRecord,
        reason: decision.reason,
        decidedBy: 'terminal',
      };
    }
    const changes: Partial<RedemptionRecord> = {
      state: 'pending',
      decidedBy: 'terminal',
      batchId: decision.batchId,
      discountFen: decision.discountFen,
      request: {
        ...record.request,
        offline: { leaseId: decision.lease.leaseId, discountFen: decision.discountFen },
      },
      updatedAt: deps.now(),
    };
    // Accepted only once the decision is durable: a crash after this line loses nothing.
    if (!(await write(() => db.redemptions.update(record.id, changes))))
      return storageError(storage.problem()?.kind === 'quota' ? 'QUOTA' : 'STORAGE');
    options.nudgeQueue();
    return {
      kind: 'accepted',
      record: { ...record, ...changes } as RedemptionRecord,
      discountFen: decision.discountFen,
      pendingSync: true,
    };
  }

  return { redeem };
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
