import { addFen, type Fen, ZERO } from '../money';
import type { SaleState } from '../protocol/sale';
import {
  ShiftTenderKind,
  type ShiftFigures,
  type ShiftTenderKind as TenderKind,
  type Tally,
} from '../protocol/shift';
import { assertNever } from '../result';

/** One sale of the shift as the ledger holds it (the server's figures, not the till's). */
export interface ShiftSaleRow {
  readonly state: SaleState;
  readonly subtotalFen: Fen;
  readonly discountFen: Fen;
  readonly dueFen: Fen;
}

/** One tender of a shift's sale. `changeFen` is the change a cash tender gave back. */
export interface ShiftTenderRow {
  readonly saleState: SaleState;
  readonly kind: TenderKind;
  readonly amountFen: Fen;
  readonly changeFen: Fen;
  /** settled (cash), pending, paid, failed. */
  readonly state: string;
}

/** An accepted redemption applied to one of the shift's sales. */
export interface ShiftVoucherRow {
  readonly saleState: SaleState;
  readonly batchId: string;
  readonly batchName: string | null;
  readonly discountFen: Fen;
}

/** One part of a refund given at this till: cash from its drawer, or WeChat back to the payer. */
export interface ShiftRefundRow {
  readonly refundId: string;
  readonly kind: 'cash' | 'wechat';
  readonly amountFen: Fen;
  /** requested, processing, succeeded, closed, abnormal. */
  readonly state: string;
}

export interface ShiftLedger {
  readonly floatFen: Fen;
  /** null while the shift is open. */
  readonly countedFen: Fen | null;
  readonly sales: readonly ShiftSaleRow[];
  readonly tenders: readonly ShiftTenderRow[];
  readonly vouchers: readonly ShiftVoucherRow[];
  readonly refunds: readonly ShiftRefundRow[];
}

/** Where a sale's money stands for the report. */
type SaleStanding = 'sold' | 'unpaid' | 'voided';

function standing(state: SaleState): SaleStanding {
  switch (state) {
    case 'paid':
    case 'partly_refunded':
    case 'refunded':
      // A refunded sale was still sold in this shift; its refund is counted apart.
      return 'sold';
    case 'open':
      return 'unpaid';
    case 'voided':
      return 'voided';
    default:
      return assertNever(state, 'sale state');
  }
}

/** Tenders that brought money in: cash always, WeChat once confirmed paid. */
const TOOK_MONEY = new Set(['settled', 'paid']);

/** A refund part that gave money back or is giving it (closed ones gave nothing). */
const GIVES_BACK = new Set(['requested', 'processing', 'succeeded', 'abnormal']);

const tally = (amounts: readonly Fen[]): Tally => ({
  count: amounts.length,
  amountFen: addFen(...amounts),
});

/**
 * The figures of a shift report from the ledger's rows for the shift. Pure and defined once, so
 * the totals printed at the till are by construction those of the server's ledger:
 * - sales: sales paid in full, at the server's amount due (refunded ones included);
 * - per tender: what those sales' tenders took, every kind listed in a fixed order;
 * - expected cash = float + cash handed over − change given − cash refunded;
 * - difference = counted − expected (negative: the drawer is short).
 */
export function shiftFigures(ledger: ShiftLedger): ShiftFigures {
  const sold = ledger.sales.filter((s) => standing(s.state) === 'sold');
  const paidTenders = ledger.tenders.filter(
    (t) => standing(t.saleState) === 'sold' && TOOK_MONEY.has(t.state),
  );
  const tenders = ShiftTenderKind.options.map((kind) => ({
    kind,
    ...tally(paidTenders.filter((t) => t.kind === kind).map((t) => t.amountFen)),
  }));

  const cashTenders = paidTenders.filter((t) => t.kind === 'cash');
  const changeFen = addFen(...cashTenders.map((t) => t.changeFen));
  const tenderedFen = addFen(...cashTenders.map((t) => addFen(t.amountFen, t.changeFen)));
  const givenBack = ledger.refunds.filter((r) => GIVES_BACK.has(r.state));
  const cashRefunds = addFen(...givenBack.filter((r) => r.kind === 'cash').map((r) => r.amountFen));
  const wechatRefunds = addFen(
    ...givenBack.filter((r) => r.kind === 'wechat').map((r) => r.amountFen),
  );
  const expectedFen = ledger.floatFen + tenderedFen - changeFen - cashRefunds;

  return {
    sales: {
      count: sold.length,
      subtotalFen: addFen(...sold.map((s) => s.subtotalFen)),
      discountFen: addFen(...sold.map((s) => s.discountFen)),
      amountFen: addFen(...sold.map((s) => s.dueFen)),
    },
    tenders,
    vouchers: vouchersByBatch(ledger.vouchers.filter((v) => standing(v.saleState) === 'sold')),
    refunds: {
      count: new Set(givenBack.map((r) => r.refundId)).size,
      cashFen: cashRefunds,
      wechatFen: wechatRefunds,
    },
    voids: tally(ledger.sales.filter((s) => standing(s.state) === 'voided').map((s) => s.dueFen)),
    unpaid: tally(ledger.sales.filter((s) => standing(s.state) === 'unpaid').map((s) => s.dueFen)),
    cash: {
      floatFen: ledger.floatFen,
      tenderedFen,
      changeFen,
      refundsFen: cashRefunds,
      expectedFen,
      countedFen: ledger.countedFen,
      differenceFen: ledger.countedFen === null ? null : ledger.countedFen - expectedFen,
    },
  };
}

/** Redeemed vouchers per batch, ordered by batch id so the report reads the same every time. */
function vouchersByBatch(rows: readonly ShiftVoucherRow[]): ShiftFigures['vouchers'] {
  const byBatch = new Map<string, { name: string | null; count: number; amountFen: Fen }>();
  for (const row of rows) {
    const known = byBatch.get(row.batchId) ?? { name: row.batchName, count: 0, amountFen: ZERO };
    byBatch.set(row.batchId, {
      name: known.name ?? row.batchName,
      count: known.count + 1,
      amountFen: addFen(known.amountFen, row.discountFen),
    });
  }
  return [...byBatch.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([batchId, v]) => ({ batchId, name: v.name, count: v.count, amountFen: v.amountFen }));
}
