import { create } from 'zustand';
import type { RefundView, SaleView } from '../../core/protocol/index';
import type { ApiFailure } from '../data/api-client';

/**
 * Where the refund desk (F3) is: looking a sale up, picking its lines, waiting for the manager's
 * approval, sending, then following the refund until WeChat's answer is final.
 */
export type RefundPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'finding'; readonly saleId: string }
  | { readonly kind: 'picking' }
  | { readonly kind: 'approval'; readonly refused: boolean }
  | { readonly kind: 'sending' }
  /** The server could not be reached: the same refund (same refundId) is being sent again. */
  | { readonly kind: 'retrying' }
  | { readonly kind: 'tracking'; readonly view: RefundView }
  | { readonly kind: 'final'; readonly view: RefundView };

export type RefundProblem =
  | { readonly kind: 'not_found'; readonly saleId: string }
  | { readonly kind: 'not_a_sale_id'; readonly text: string }
  | { readonly kind: 'server'; readonly failure: Pick<ApiFailure, 'code' | 'message'> }
  | { readonly kind: 'offline' };

/** What was refunded, line by line, as the receipt prints it (counted before it was sent). */
export interface RefundedLine {
  readonly lineId: string;
  readonly name: string;
  readonly quantity: number;
  readonly amountFen: number;
}

interface RefundSlice {
  readonly phase: RefundPhase;
  /** The sale as the server last showed it (lines, what each has left to refund). */
  readonly sale: SaleView | null;
  /** Units picked per line id. */
  readonly picks: Readonly<Record<string, number>>;
  readonly reason: string;
  readonly problem: RefundProblem | null;
  /** The lines of the refund under way or just made (for its receipt). */
  readonly refunded: readonly RefundedLine[];
  readonly set: (part: Partial<Omit<RefundSlice, 'set'>>) => void;
}

export const useRefundStore = create<RefundSlice>()((set) => ({
  phase: { kind: 'idle' },
  sale: null,
  picks: {},
  reason: '',
  problem: null,
  refunded: [],
  set: (part) => set(part),
}));

/** A refund state WeChat will not change again. */
export const isFinal = (state: RefundView['state']): boolean =>
  state === 'succeeded' || state === 'abnormal' || state === 'closed';
