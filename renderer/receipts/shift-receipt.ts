import type { Locale } from '../../core/messages/format';
import type { ShiftReport, Store } from '../../core/protocol/index';
import type { ShiftReceipt } from '../../core/receipt/shift-model';

/** The server's shift report as the receipt printer prints it. */
export function shiftReceipt(
  report: ShiftReport,
  ctx: {
    readonly store: Store;
    readonly terminalName: string;
    readonly cashier: string;
    readonly locale: Locale;
    /** ISO instant. */
    readonly printedAt: string;
  },
): ShiftReceipt {
  return {
    kind: 'shift_report',
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
    printedAt: ctx.printedAt,
    report,
  };
}
