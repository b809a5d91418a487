import type { ClientId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { PaymentState, SaleOutcome, SaleRequest, SaleState } from '../../core/protocol/index';

/**
 * Where one finished sale stands on this terminal.
 * - pending: written ahead (before anything is sent); waits for the drainer, online or not.
 * - recorded: the server recorded it; `outcome` is its answer (its figures and flags).
 */
export type SaleRecordState = 'pending' | 'recorded';

/** The WeChat payment of a sale as this till last knew it; `checking` while the answer is unknown. */
export interface SalePayment {
  readonly paymentId: ClientId;
  readonly state: PaymentState | 'checking';
  readonly transactionId: string | null;
}

export interface SaleRecord {
  readonly id: ClientId;
  readonly createdAt: number;
  /** 1 while the drainer must still push it (indexed with createdAt: the push order). */
  queued: 0 | 1;
  state: SaleRecordState;
  /** Exactly what is (or was) sent. */
  readonly request: SaleRequest;
  outcome: SaleOutcome | null;
  attempts: number;
  lastError: string | null;
  updatedAt: number;
  payment: SalePayment | null;
  /** The sale that took its place after its WeChat order was closed unpaid. */
  replacedBy: ClientId | null;
  /**
   * The sale as the server showed it last at the refund desk (F3): its state and what was
   * refunded. Newer than `outcome`, which is the answer to the push. Absent on older records.
   */
  serverSale?: ServerSaleState;
}

export interface ServerSaleState {
  readonly state: SaleState;
  readonly refundedFen: Fen;
}
