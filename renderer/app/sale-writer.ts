import type { ClientId } from '../../core/ids';
import { maskPhone } from '../../core/members';
import { addFen, type Fen, ZERO } from '../../core/money';
import type { SaleRequest, Tender } from '../../core/protocol/index';
import { saleTotals } from '../../core/sales/index';
import type { ReceiptRecord, ReceiptTenderRecord } from '../data/records';
import type { SalePayment, SaleRecord } from '../data/sale-records';
import { giveBackHere, giveBackTables } from '../data/void-here';
import { cartOf, useCartStore } from '../state/cart-store';
import { useSessionStore } from '../state/session-store';
import { openShiftId } from '../state/shift-store';
import { base, terminalServices } from './services';

/** The voucher discounts and redemption ids the server accepted (or the offline rules did). */
function acceptedVouchers() {
  return useCartStore
    .getState()
    .outcomes.flatMap((o) =>
      o.result.kind === 'accepted' ? [{ code: o.code, result: o.result }] : [],
    );
}

/** What the order costs after its vouchers: the amount the tenders must pay. */
export function amountDue(): Fen {
  const { lines } = useCartStore.getState();
  return saleTotals(
    lines,
    acceptedVouchers().map((v) => v.result.discountFen),
    [],
  ).dueFen;
}

/**
 * The sale as it is written to the queue and sent: the cart, its vouchers, these tenders, and
 * the earlier sale of the order it replaces (a WeChat attempt given up on), which the server voids.
 */
export function saleRequestOf(
  saleId: ClientId,
  tenders: readonly Tender[],
  replaces: ClientId | null,
): SaleRequest | null {
  const services = terminalServices();
  if (!services) return null;
  const { lines, member } = useCartStore.getState();
  const vouchers = acceptedVouchers();
  return {
    id: saleId,
    storeId: services.terminal.store.id,
    terminalId: services.terminal.terminalId,
    at: new Date(base.deps.now()).toISOString() as SaleRequest['at'],
    shiftId: openShiftId(),
    cart: cartOf(lines, member),
    redemptionIds: vouchers.map((v) => v.result.record.id),
    tenders: [...tenders],
    totals: saleTotals(
      lines,
      vouchers.map((v) => v.result.discountFen),
      tenders,
    ),
    offline: !base.connectivity.online(),
    ...(replaces === null ? {} : { replaces }),
  };
}

/**
 * Writes the sale to the queue (write-ahead: before anything is sent) and wakes the drainer, which
 * pushes it once — at once when online, after the outage otherwise; the sale it replaces is marked
 * so in the same write, and a void's codes are usable here again in it (data/void-here.ts). False
 * when the local database refused the write (the storage problem is shown).
 */
export async function queueSale(
  request: SaleRequest,
  payment: SalePayment | null,
  receipt: ReceiptRecord | null,
): Promise<boolean> {
  const replaces = request.replaces ?? null;
  const services = terminalServices();
  if (!services) return false;
  const now = base.deps.now();
  const record: SaleRecord = {
    id: request.id,
    createdAt: now,
    queued: 1,
    state: 'pending',
    request,
    outcome: null,
    attempts: 0,
    lastError: null,
    updatedAt: now,
    payment,
    replacedBy: null,
  };
  const { db } = base;
  try {
    // The writes go out together (one round trip, not several); the transaction makes them one.
    await db.transaction('rw', [db.sales, db.receipts, ...giveBackTables(db)], () =>
      Promise.all([
        db.sales.add(record),
        replaces === null ? null : db.sales.update(replaces, { replacedBy: request.id }),
        receipt ? db.receipts.put(receipt) : null,
        request.voided === true
          ? giveBackHere(db, services.terminal.terminalId, request.redemptionIds, now)
          : null,
      ]),
    );
  } catch (error) {
    base.storage.report(error);
    return false;
  }
  services.engine.nudge();
  return true;
}

/** The receipt of a finished sale, with how it was paid. */
export function receiptOf(request: SaleRequest, transactionId: string | null): ReceiptRecord {
  const cart = useCartStore.getState();
  const tenders: ReceiptTenderRecord[] = request.tenders.map((t) =>
    t.kind === 'cash'
      ? { kind: 'cash', amountFen: t.tenderedFen, transactionId: null }
      : { kind: 'wechat_pay', amountFen: t.amountFen, transactionId },
  );
  const tenderedFen = addFen(
    ...request.tenders.map((t) => (t.kind === 'cash' ? t.tenderedFen : ZERO)),
  );
  return {
    id: request.id,
    createdAt: Date.parse(request.at),
    storeId: request.storeId,
    terminalId: request.terminalId,
    cashierName: useSessionStore.getState().session?.user.name ?? '',
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
    subtotalFen: request.totals.subtotalFen,
    discountFen: request.totals.discountFen,
    totalFen: request.totals.dueFen,
    tenderedFen,
    changeFen: request.totals.changeFen,
    tenders,
    ...(cart.member === null
      ? {}
      : { member: { phoneMasked: maskPhone(cart.member.phone), tier: cart.member.tier } }),
  };
}
