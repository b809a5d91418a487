import type { ClientId } from '../ids';
import { type Fen, subFenFloor, ZERO } from '../money';
import type { Tender } from '../protocol/sale';
import { assertNever } from '../result';

/**
 * How the cashier chose to take the amount due, before any money moves:
 * cash (what was handed over), WeChat Native for all of it, the customer's WeChat payment code
 * (付款码) for all of it, or a split — part cash (taken at its face, no change), the rest by WeChat
 * Native.
 */
export type TenderChoice =
  | { readonly kind: 'cash'; readonly tenderedFen: Fen }
  | { readonly kind: 'wechat_native'; readonly paymentId: ClientId }
  | { readonly kind: 'wechat_code'; readonly paymentId: ClientId }
  | { readonly kind: 'split'; readonly cashFen: Fen; readonly paymentId: ClientId };

export type TenderPlanProblem =
  /** Less cash handed over than is due. */
  | 'CASH_SHORT'
  /** A split's cash part must leave something for WeChat to pay (else it is a cash sale). */
  | 'SPLIT_CASH_COVERS_ALL'
  /** A split with no cash part is a plain WeChat payment. */
  | 'SPLIT_CASH_ZERO'
  /** Nothing is due (vouchers cover the order): no WeChat order for ¥0. */
  | 'NOTHING_TO_PAY_BY_WECHAT';

/** The tenders a choice makes, what WeChat must still pay, and the cash change to hand back. */
export type TenderPlan =
  | {
      readonly ok: true;
      readonly tenders: readonly Tender[];
      /** The amount of the WeChat order to place (Native or payment code); zero for a cash-only sale. */
      readonly wechatFen: Fen;
      readonly changeFen: Fen;
    }
  | { readonly ok: false; readonly code: TenderPlanProblem };

/** Turns the cashier's choice into the sale's tenders for `dueFen`, or says why it cannot be. */
export function planTenders(dueFen: Fen, choice: TenderChoice): TenderPlan {
  switch (choice.kind) {
    case 'cash': {
      if (choice.tenderedFen < dueFen) return { ok: false, code: 'CASH_SHORT' };
      // A sale the vouchers paid in full takes no tender at all.
      if (dueFen === ZERO) return { ok: true, tenders: [], wechatFen: ZERO, changeFen: ZERO };
      return {
        ok: true,
        tenders: [{ kind: 'cash', amountFen: dueFen, tenderedFen: choice.tenderedFen }],
        wechatFen: ZERO,
        changeFen: subFenFloor(choice.tenderedFen, dueFen),
      };
    }
    case 'wechat_native':
    case 'wechat_code':
      if (dueFen === ZERO) return { ok: false, code: 'NOTHING_TO_PAY_BY_WECHAT' };
      return {
        ok: true,
        tenders: [{ kind: choice.kind, amountFen: dueFen, paymentId: choice.paymentId }],
        wechatFen: dueFen,
        changeFen: ZERO,
      };
    case 'split': {
      if (dueFen === ZERO) return { ok: false, code: 'NOTHING_TO_PAY_BY_WECHAT' };
      if (choice.cashFen === ZERO) return { ok: false, code: 'SPLIT_CASH_ZERO' };
      if (choice.cashFen >= dueFen) return { ok: false, code: 'SPLIT_CASH_COVERS_ALL' };
      const wechatFen = subFenFloor(dueFen, choice.cashFen);
      return {
        ok: true,
        tenders: [
          { kind: 'cash', amountFen: choice.cashFen, tenderedFen: choice.cashFen },
          { kind: 'wechat_native', amountFen: wechatFen, paymentId: choice.paymentId },
        ],
        wechatFen,
        changeFen: ZERO,
      };
    }
    default:
      return assertNever(choice, 'tender choice');
  }
}
