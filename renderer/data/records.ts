import type { BatchId, ClientId, StoreId, TerminalId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { Reason } from '../../core/reasons';
import type {
  AllowanceLease,
  CodeState,
  Product,
  RedemptionOutcome,
  RedemptionRequest,
  Session,
  Store,
  StoreGroup,
} from '../../core/protocol/index';
import type { Batch } from '../../core/vouchers';

/**
 * Where one redemption stands on this terminal.
 * - sending: written ahead, the online request is in flight (the screen has said nothing yet).
 * - pending: accepted offline under the lease; waits for the drainer to push it.
 * - synced: the server accepted it.
 * - rejected: refused, by the server or (decidedBy 'terminal') by the offline rules.
 * - conflict: accepted offline here, but the server gave the code to another redemption or the
 *   lease was exceeded; stored on the server for a manager.
 * - unconfirmed: the online request failed in a way that leaves open whether the server got it
 *   (timeout, cut connection, 5xx, or a tab that died mid-call), and the cashier was NOT told it
 *   was accepted (the offline rules refused it, or nothing was shown). It is never pushed, because a
 *   push would redeem a code the customer got nothing for; the drainer settles it with the server
 *   by id (settle.ts), after which it is 'synced' or 'rejected' with `settled` set.
 */
export type RedemptionState =
  'sending' | 'pending' | 'synced' | 'rejected' | 'conflict' | 'unconfirmed';

export interface RedemptionRecord {
  readonly id: ClientId;
  readonly code: VoucherCode;
  /** Known once the code is resolved (catalog, signature or server outcome). */
  batchId: BatchId | null;
  /** Exactly what is (or will be) sent; `offline` is filled when the terminal decided alone. */
  request: RedemptionRequest;
  state: RedemptionState;
  /** Who made the final call: the server, or this terminal's offline rules. */
  decidedBy: 'server' | 'terminal' | null;
  /** The discount the terminal showed the cashier. */
  discountFen: Fen;
  /** The server's outcome once known; a terminal-side refusal is stored as a rejected outcome. */
  outcome: RedemptionOutcome | null;
  /** Milliseconds since the epoch (terminal clock): indexes sort and prune on it. */
  createdAt: number;
  updatedAt: number;
  /** The sale this redemption belongs to; null for a quick redeem. */
  saleId: string | null;
  attempts: number;
  lastError: string | null;
  /** 1 while it still has to reach the server (pending or sending), else 0: an index for the drainer. */
  queued: 0 | 1;
  /**
   * 1 for an outcome the cashier has not acknowledged yet that differs from what the screen said:
   * a conflict, or a server refusal of a redemption the terminal had accepted offline.
   */
  unseenConflict: 0 | 1;
  /**
   * How an 'unconfirmed' record was settled with the server (settle.ts); absent on records that
   * never were unconfirmed, so records written before settlement existed need no upgrade.
   */
  settled?: Settlement;
  /**
   * When the server gave this code back (its sale refunded in full, in a batch that returns
   * vouchers; the change feed says so): from then on this record is no use of the code here.
   * Absent on every other record.
   */
  returnedAt?: number;
  /**
   * Set when returnedAt was set by this till's own void (void-here.ts), cleared when the server's
   * feed entry returning this redemption arrives: until then the local void wins over a feed page
   * that still says the code is redeemed here. Absent on every other record.
   */
  returnedHere?: true;
}

/**
 * The final word on a redemption whose online request went unanswered while the cashier told the
 * customer "no":
 * - used_while_refused: the lost request did reach the server and redeemed the code, so the
 *   voucher is used up although the customer got nothing (state 'synced', flagged like a conflict).
 * - refused: the server redeemed nothing under this id, and never will (state 'rejected', or
 *   'conflict' should the server have stored one).
 */
export type Settlement = 'used_while_refused' | 'refused';

/** The pairing of this browser profile with one terminal of one store. */
export interface TerminalRecord {
  readonly key: 'terminal';
  serverUrl: string;
  terminalId: TerminalId;
  token: string;
  store: Store;
  codePublicKey: string;
  name: string;
  pairedAt: number;
}

export interface SessionRecord {
  readonly key: 'session';
  session: Session;
}

export interface CursorRecord {
  readonly key: 'cursor';
  cursor: string;
  pulledAt: number;
}

export interface LeaseRecord {
  readonly key: 'lease';
  lease: AllowanceLease;
}

/**
 * What this terminal has drawn on a lease: every redemption it accepted offline under it (the
 * server charges each of them when it is pushed, whatever its outcome, so this never goes down).
 * Kept beside the lease and updated in the same transaction as each offline acceptance, so an
 * offline decision reads one row instead of every record made under the lease.
 */
export interface LeaseUsageRecord {
  readonly key: 'leaseUsage';
  leaseId: string;
  count: number;
  valueFen: Fen;
}

export interface LastPushRecord {
  readonly key: 'lastPush';
  at: number;
}

/**
 * A lease renewal sent but not yet answered (or whose answer was lost). Stored before the request
 * leaves, so every retry of it, in any tab or after a reload, sends the same id and gets the lease
 * the server issued for it (sync/lease.ts); removed once that lease is stored.
 */
export interface LeaseRequestRecord {
  readonly key: 'leaseRequest';
  requestId: string;
  startedAt: number;
}

/**
 * When this till's store last had its offline allowance changed (an `allowance` change on the
 * feed): a lease issued before then carries the old limits, so the lease keeper renews it.
 */
export interface AllowanceChangedRecord {
  readonly key: 'allowanceChanged';
  changedAt: string;
}

/** The redemption whose result the quick-redeem screen shows last: shown again after a reload. */
export interface LastShownRecord {
  readonly key: 'lastShown';
  redemptionId: ClientId;
}

/**
 * This till's shift, stored before each request about it leaves (write-ahead): every retry of the
 * opening or the closing, after a reload too, sends the same shift id and the same figures, and the
 * server answers it with the stored shift. Removed once the close is answered.
 */
export interface ShiftRecord {
  readonly key: 'shift';
  shiftId: ClientId;
  floatFen: Fen;
  /** opening: sent, not answered yet; open: the server has it; closing: the close is on its way. */
  state: 'opening' | 'open' | 'closing';
  /** Set with `closing`. */
  countedFen: Fen | null;
  pending: { sales: number; redemptions: number } | null;
}

export type MetaRecord =
  | ShiftRecord
  | TerminalRecord
  | SessionRecord
  | CursorRecord
  | LeaseRecord
  | LeaseUsageRecord
  | LastPushRecord
  | LeaseRequestRecord
  | AllowanceChangedRecord
  | LastShownRecord;
export type MetaKey = MetaRecord['key'];

export type CodeRecord = CodeState;
export type StoreRecord = Store;
export type StoreGroupRecord = StoreGroup;
export type ProductRecord = Product;
export type BatchRecord = Batch;

export interface ReceiptLine {
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceFen: Fen;
  readonly lineTotalFen: Fen;
}

export interface ReceiptVoucher {
  readonly code: VoucherCode;
  readonly redemptionId: ClientId;
  readonly discountFen: Fen;
  /** True when accepted offline and not yet confirmed by the server. */
  readonly pendingSync: boolean;
}

/** A finished sale as the cashier saw it; kept with the history and pruned with it. */
export interface ReceiptRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly storeId: StoreId;
  readonly terminalId: TerminalId;
  readonly cashierName: string;
  readonly lines: readonly ReceiptLine[];
  readonly vouchers: readonly ReceiptVoucher[];
  readonly refused: readonly { readonly code: VoucherCode; readonly reason: Reason }[];
  readonly subtotalFen: Fen;
  readonly discountFen: Fen;
  readonly totalFen: Fen;
  readonly tenderedFen: Fen;
  readonly changeFen: Fen;
  /** The sale's member, the phone masked (a receipt leaves the store); absent without one. */
  readonly member?: { readonly phoneMasked: string; readonly tier: string };
  /**
   * How it was paid (cash handed over, WeChat with its transaction id). Receipts stored before
   * tenders were recorded lack it: they were cash, `tenderedFen`.
   */
  readonly tenders?: readonly ReceiptTenderRecord[];
}

export interface ReceiptTenderRecord {
  readonly kind: 'cash' | 'wechat_pay';
  /** Cash: what was handed over; WeChat: what it paid. */
  readonly amountFen: Fen;
  /** WeChat's transaction id, when known. */
  readonly transactionId: string | null;
}
