import { create } from 'zustand';
import type { ClientId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { PaymentReason } from '../../core/protocol/index';

/**
 * Where the WeChat payment of the order stands on the cashier's screen.
 * - none: no WeChat payment (cash, or not paying yet).
 * - recording: the sale (with its WeChat tender) is written and on its way to the server.
 * - placing: the server is asked for the Native order's code_url.
 * - qr: the customer may scan and pay until `expiresAt`.
 * - charging: the customer's payment code (付款码) is being charged.
 * - confirming: WeChat waits for the customer to confirm on the phone (USERPAYING).
 * - approval: the server wants a manager's approval for this amount (`refused`: the last one was
 *   not accepted). The credentials live only in the dialog and the one request, never here.
 * - checking: the result is not known (a lost answer, the network, held for a manager): never
 *   shown as failed, and no other charge may start until the server knows.
 * - cancelling: the cashier cancelled; the order is being closed.
 * - failed: nothing was charged (offline before anything was sent, closed, expired, refused,
 *   declined by WeChat — `why` says why in words — or given up and reversed).
 */
export type WechatPhase =
  | { readonly kind: 'none' }
  | { readonly kind: 'recording' }
  | { readonly kind: 'placing' }
  | {
      readonly kind: 'qr';
      readonly codeUrl: string;
      readonly expiresAt: string;
      readonly amountFen: Fen;
    }
  | { readonly kind: 'charging' }
  | { readonly kind: 'confirming' }
  | { readonly kind: 'approval'; readonly refused: boolean; readonly detail: string }
  | { readonly kind: 'checking'; readonly held: boolean }
  | { readonly kind: 'cancelling' }
  | {
      readonly kind: 'failed';
      readonly reason: 'offline' | 'closed' | 'expired' | 'refused' | 'declined';
      readonly detail: string;
      /** WeChat's reason for a declined or reversed payment code. */
      readonly why?: PaymentReason;
    };

interface PaymentSlice {
  readonly phase: WechatPhase;
  /**
   * The sale id the next tender is recorded under: the cart's until a sale record is written with
   * a WeChat tender that then does not pay; after that a fresh one (the server keeps that sale).
   */
  readonly attemptSaleId: ClientId | null;
  /** Set once a sale record was written under `attemptSaleId`. */
  readonly attemptWritten: boolean;
  readonly paymentId: ClientId | null;
  /** The change of the sale just finished, for the customer's "paid, thank you". */
  readonly paidChangeFen: Fen | null;
  readonly setPhase: (phase: WechatPhase) => void;
  readonly begin: (saleId: ClientId, paymentId: ClientId) => void;
  readonly reset: (saleId: ClientId | null) => void;
  readonly paid: (changeFen: Fen) => void;
}

export const usePaymentStore = create<PaymentSlice>()((set) => ({
  phase: { kind: 'none' },
  attemptSaleId: null,
  attemptWritten: false,
  paymentId: null,
  paidChangeFen: null,
  setPhase: (phase) => set({ phase }),
  begin: (saleId, paymentId) =>
    set({ attemptSaleId: saleId, attemptWritten: true, paymentId, phase: { kind: 'recording' } }),
  reset: (saleId) =>
    set({
      phase: { kind: 'none' },
      attemptSaleId: saleId,
      attemptWritten: false,
      paymentId: null,
      paidChangeFen: null,
    }),
  paid: (changeFen) =>
    set({
      phase: { kind: 'none' },
      attemptWritten: false,
      paymentId: null,
      paidChangeFen: changeFen,
    }),
}));

/** A WeChat payment is under way or its result unknown: no other tender may start. */
export function wechatBusy(phase: WechatPhase): boolean {
  return phase.kind !== 'none' && phase.kind !== 'failed';
}
