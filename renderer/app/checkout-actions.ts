import type { VoucherCode } from '../../core/ids';
import { addFen, subFenFloor, type Fen } from '../../core/money';
import type { Reason } from '../../core/reasons';
import { evaluate } from '../../core/rules/index';
import type { Evaluation } from '../../core/reasons';
import type { Candidate, CartLine, EvaluationContext } from '../../core/vouchers';
import type { ReceiptRecord } from '../data/records';
import { cartOf, useCartStore, type CartVoucher, type SaleOutcome } from '../state/cart-store';
import { useSessionStore } from '../state/session-store';
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
  return { evaluation: evaluate(cartOf(lines), candidates, context), unresolved };
}

/** What the customer pays once the server (or the offline rules) has ruled on each voucher. */
export function settledTotals(subtotalFen: Fen, outcomes: readonly SaleOutcome[]) {
  const discountFen = addFen(
    ...outcomes.map((o) => (o.result.kind === 'accepted' ? o.result.discountFen : (0 as Fen))),
  );
  return { subtotalFen, discountFen, totalFen: subFenFloor(subtotalFen, discountFen) };
}

/** Redeems every voucher the preview applied, each write-ahead, then moves to cash tender. */
export async function payOrder(): Promise<void> {
  const services = terminalServices();
  const cart = useCartStore.getState();
  if (!services || cart.stage !== 'building' || cart.lines.length === 0) return;
  cart.setStage('paying');
  const preview = previewCheckout(cart.lines, cart.vouchers, base.deps.now());
  const codes = preview.evaluation.applied.map((a) => a.code);
  const outcomes: SaleOutcome[] = [];
  for (const code of codes) {
    const result = await services.redeemer.redeem({
      code,
      cart: cartOf(cart.lines),
      saleId: cart.saleId,
      companions: codes,
    });
    outcomes.push({ code, result });
  }
  useCartStore.getState().setOutcomes(outcomes);
  useCartStore.getState().setStage('tender');
}

/** Records the finished sale as a receipt and shows it. */
export async function completeSale(tenderedFen: Fen): Promise<boolean> {
  const services = terminalServices();
  const cart = useCartStore.getState();
  const { session } = useSessionStore.getState();
  if (!services || cart.stage !== 'tender') return false;
  const subtotalFen = addFen(...cart.lines.map((l) => (l.unitPriceFen * l.quantity) as Fen));
  const totals = settledTotals(subtotalFen, cart.outcomes);
  if (tenderedFen < totals.totalFen) return false;
  const receipt: ReceiptRecord = {
    id: cart.saleId,
    createdAt: base.deps.now(),
    storeId: services.terminal.store.id,
    terminalId: services.terminal.terminalId,
    cashierName: session?.user.name ?? '',
    lines: cart.lines.map((l) => ({
      name: l.name,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      lineTotalFen: (l.unitPriceFen * l.quantity) as Fen,
    })),
    vouchers: cart.outcomes.flatMap((o) =>
      o.result.kind === 'accepted'
        ? [
            {
              code: o.code,
              redemptionId: o.result.record.id,
              discountFen: o.result.discountFen,
              pendingSync: o.result.pendingSync,
            },
          ]
        : [],
    ),
    refused: cart.outcomes.flatMap((o) =>
      o.result.kind === 'refused' ? [{ code: o.code, reason: o.result.reason }] : [],
    ),
    ...totals,
    tenderedFen,
    changeFen: subFenFloor(tenderedFen, totals.totalFen),
  };
  try {
    await base.db.receipts.put(receipt);
  } catch (error) {
    base.storage.report(error);
  }
  cart.finish(receipt.id);
  return true;
}

export function startNewSale(): void {
  useCartStore.getState().newSale(base.deps.newId());
}
