import type { Locale } from '../../core/messages/format';
import type { Fen } from '../../core/money';
import type { RefundView, Store } from '../../core/protocol/index';
import type { RefundReceipt } from '../../core/receipt/refund-model';
import type { RefundedLine } from '../state/refund-store';

/** A refund as the receipt printer prints it: the server's refund, the lines the till sent. */
export function refundReceipt(
  view: RefundView,
  lines: readonly RefundedLine[],
  ctx: {
    readonly store: Store;
    readonly terminalName: string;
    readonly cashier: string;
    readonly reason: string;
    readonly locale: Locale;
    /** ISO instant. */
    readonly printedAt: string;
  },
): RefundReceipt {
  return {
    kind: 'refund',
    locale: ctx.locale,
    store: {
      id: ctx.store.id,
      name: ctx.store.name,
      address: null,
      phone: null,
      timeZone: ctx.store.timeZone,
    },
    terminalName: ctx.terminalName,
    cashier: ctx.cashier,
    refundId: view.refundId,
    saleId: view.saleId,
    at: view.approvedAt,
    printedAt: ctx.printedAt,
    approvedBy: view.approvedBy,
    reason: ctx.reason,
    lines: lines.map((l) => ({
      name: l.name,
      quantity: l.quantity,
      amountFen: l.amountFen as Fen,
    })),
    amountFen: view.amountFen,
    parts: view.parts.map((p) => ({ kind: p.kind, amountFen: p.amountFen, state: p.state })),
    returnedVouchers: [...view.returnedVouchers],
  };
}
