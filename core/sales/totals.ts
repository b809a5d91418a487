import { addFen, type Fen, mulFen, subFenFloor, ZERO } from '../money';
import type { SaleFlag, SaleTotals, Tender } from '../protocol/sale';
import { assertNever } from '../result';
import type { CartLine } from '../vouchers';

/**
 * A sale's figures, defined once for the till (what it asks the customer for) and the server
 * (what the ledger counts): subtotal of the lines, the vouchers' discount (never more than the
 * subtotal), what is due, what the tenders pay of it, and the change cash gives back.
 */
export function saleTotals(
  lines: readonly Pick<CartLine, 'unitPriceFen' | 'quantity'>[],
  voucherDiscounts: readonly Fen[],
  tenders: readonly Tender[],
): SaleTotals {
  const subtotalFen = addFen(...lines.map((l) => mulFen(l.unitPriceFen, l.quantity)));
  const discountFen = minFen(addFen(...voucherDiscounts), subtotalFen);
  const dueFen = subFenFloor(subtotalFen, discountFen);
  let paidFen = ZERO;
  let changeFen = ZERO;
  for (const tender of tenders) {
    paidFen = addFen(paidFen, tender.amountFen);
    changeFen = addFen(changeFen, changeOf(tender));
  }
  return { subtotalFen, discountFen, dueFen, paidFen, changeFen };
}

/** Change a tender gives back: cash handed over beyond the amount it pays; nothing for WeChat. */
function changeOf(tender: Tender): Fen {
  switch (tender.kind) {
    case 'cash':
      return subFenFloor(tender.tenderedFen, tender.amountFen);
    case 'wechat_native':
    case 'wechat_code':
      return ZERO;
    default:
      return assertNever(tender, 'tender');
  }
}

const minFen = (a: Fen, b: Fen): Fen => (a < b ? a : b);

/** What is wrong with how a sale was paid: tenders short of or beyond the amount due, cash short. */
export function tenderProblems(totals: SaleTotals, tenders: readonly Tender[]): SaleFlag[] {
  const flags: SaleFlag[] = [];
  for (const t of tenders)
    if (t.kind === 'cash' && t.tenderedFen < t.amountFen)
      flags.push({ code: 'CASH_SHORT', amountFen: t.amountFen, tenderedFen: t.tenderedFen });
  if (totals.paidFen < totals.dueFen)
    flags.push({ code: 'UNDERPAID', dueFen: totals.dueFen, paidFen: totals.paidFen });
  if (totals.paidFen > totals.dueFen)
    flags.push({ code: 'OVERPAID', dueFen: totals.dueFen, paidFen: totals.paidFen });
  return flags;
}

const FIELDS = ['subtotalFen', 'discountFen', 'dueFen', 'paidFen', 'changeFen'] as const;

/** Every figure on which the till's claim and the server's own count differ. */
export function totalsDiffer(till: SaleTotals, server: SaleTotals): SaleFlag[] {
  return FIELDS.filter((f) => till[f] !== server[f]).map((field) => ({
    code: 'TOTAL_DIFFERS',
    field,
    tillFen: till[field],
    serverFen: server[field],
  }));
}
