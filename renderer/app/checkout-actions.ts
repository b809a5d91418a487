import type { ClientId, VoucherCode } from '../../core/ids';
import { addFen, subFenFloor, type Fen } from '../../core/money';
import type { Member } from '../../core/protocol/index';
import type { Reason } from '../../core/reasons';
import { evaluate } from '../../core/rules/index';
import type { Evaluation } from '../../core/reasons';
import type { Candidate, CartLine, EvaluationContext } from '../../core/vouchers';
import { planTenders, type TenderPlan } from '../../core/sales/tender-plan';
import { cartOf, useCartStore, type CartVoucher, type SaleOutcome } from '../state/cart-store';
import { usePaymentStore, wechatBusy } from '../state/payment-store';
import { useSessionStore } from '../state/session-store';
import { forgetPayment } from './native-payment';
import { amountDue, queueSale, receiptOf, saleRequestOf } from './sale-writer';
import { base, terminalServices } from './services';

/** The order's preview: core's evaluation plus the vouchers that could not even be looked up. */
export interface CheckoutPreview {
  readonly evaluation: Evaluation;
  readonly unresolved: readonly { readonly code: VoucherCode; readonly reason: Reason }[];
}

export function previewCheckout(
  lines: readonly CartLine[],
  vouchers: readonly CartVoucher[],
  nowMs: number,
  member: Member | null = null,
): CheckoutPreview {
  const terminal = useSessionStore.getState().terminal;
  const candidates: Candidate[] = [];
  const unresolved: { code: VoucherCode; reason: Reason }[] = [];
  for (const v of vouchers) {
    if (v.candidate) candidates.push(v.candidate);
    else if (v.lookupRefusal) unresolved.push({ code: v.code, reason: v.lookupRefusal });
  }
  const context: EvaluationContext = {
    now: new Date(nowMs).toISOString(),
    storeId: terminal?.store.id ?? ('unknown' as EvaluationContext['storeId']),
    storeGroupIds: terminal ? [...terminal.store.groupIds] : [],
    timeZone: terminal?.store.timeZone ?? 'Asia/Shanghai',
    usageToday: {},
  };
  return { evaluation: evaluate(cartOf(lines, member), candidates, context), unresolved };
}

/** What the customer pays once the server (or the offline rules) has ruled on each voucher. */
export function settledTotals(subtotalFen: Fen, outcomes: readonly SaleOutcome[]) {
  const discountFen = addFen(
    ...outcomes.map((o) => (o.result.kind === 'accepted' ? o.result.discountFen : (0 as Fen))),
  );
  return { subtotalFen, discountFen, totalFen: subFenFloor(subtotalFen, discountFen) };
}

/** Redeems every voucher the preview applied, each write-ahead (redeemSale), then moves to tender. */
export async function payOrder(): Promise<void> {
  const services = terminalServices();
  const cart = useCartStore.getState();
  if (!services || cart.stage !== 'building' || cart.lines.length === 0) return;
  cart.setStage('paying');
  const preview = previewCheckout(cart.lines, cart.vouchers, base.deps.now(), cart.member);
  const codes = preview.evaluation.applied.map((a) => a.code);
  const outcomes = await services.redeemer.redeemSale({
    codes,
    cart: cartOf(cart.lines, cart.member),
    saleId: cart.saleId,
  });
  useCartStore.getState().setOutcomes(outcomes);
  useCartStore.getState().setStage('tender');
}

/**
 * Takes the amount due in cash: the sale (with its tender and change) and its receipt are written
 * to the queue together, then shown. Works offline: the drainer pushes it when the server is back.
 * Refused while a WeChat payment is under way or its result unknown (no second charge).
 */
export async function completeCash(tenderedFen: Fen): Promise<TenderPlan | null> {
  const cart = useCartStore.getState();
  const payment = usePaymentStore.getState();
  if (cart.stage !== 'tender' || wechatBusy(payment.phase)) return null;
  const plan = planTenders(amountDue(), { kind: 'cash', tenderedFen });
  if (!plan.ok) return plan;
  const replaces = payment.attemptWritten ? payment.attemptSaleId : null;
  const saleId = replaces === null ? (cart.saleId as ClientId) : base.deps.newId();
  const request = saleRequestOf(saleId, plan.tenders, replaces);
  if (!request) return null;
  const receipt = receiptOf(request, null);
  if (!(await queueSale(request, null, receipt))) return null;
  usePaymentStore.getState().paid(receipt.changeFen);
  cart.finish(receipt.id);
  return plan;
}

let voiding = false;

/**
 * Voids the order at the tender stage (整单取消) after the cashier confirmed it: nothing was paid,
 * so no manager approval. Refused while a WeChat payment is under way or its result unknown, as a
 * second charge is. The void is a sale with no tender (SaleRequest.voided) written to the queue
 * like any sale — its vouchers are usable here again in the same write — and pushed by the
 * drainer after the redemptions it names; a WeChat attempt already written is voided with it
 * (replaces). The till then starts a new sale. Returns the codes given back, or null.
 */
export async function voidSale(): Promise<VoucherCode[] | null> {
  const cart = useCartStore.getState();
  const payment = usePaymentStore.getState();
  if (voiding || cart.stage !== 'tender' || wechatBusy(payment.phase)) return null;
  voiding = true;
  try {
    const replaces = payment.attemptWritten ? payment.attemptSaleId : null;
    const saleId = replaces === null ? (cart.saleId as ClientId) : base.deps.newId();
    const request = saleRequestOf(saleId, [], replaces);
    if (!request) return null;
    if (!(await queueSale({ ...request, voided: true }, null, null))) return null;
    const returned = cart.outcomes.flatMap((o) => (o.result.kind === 'accepted' ? [o.code] : []));
    startNewSale();
    return returned;
  } finally {
    voiding = false;
  }
}

export function startNewSale(): void {
  const saleId = base.deps.newId();
  forgetPayment();
  usePaymentStore.getState().reset(saleId);
  useCartStore.getState().newSale(saleId);
}
