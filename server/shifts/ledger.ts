import type { Fen } from '../../core/money';
import type { SaleState, ShiftTenderKind } from '../../core/protocol';
import type { ShiftLedger } from '../../core/shifts/report';
import { kyselyOf, type Queryable } from '../db/prepared';

/** The shift as the ledger queries need it. */
export interface ShiftWindow {
  readonly terminalId: string;
  readonly shiftId: string;
  readonly openedAt: string;
  /** null while open: up to now. */
  readonly closedAt: string | null;
  readonly floatFen: Fen;
  readonly countedFen: Fen | null;
}

const fenOf = (n: number | string | bigint): Fen => Number(n) as Fen;

/**
 * The rows of the sales ledger that belong to a shift, for core/shifts/report.ts to add up. A sale
 * belongs to the shift it names; a sale that names none (a till without an open shift, an older
 * till) belongs to the shift open on its terminal at its time. Refunds count at the till that
 * gave them, in the shift open when they were asked for: its drawer paid the cash.
 */
export async function shiftLedger(db: Queryable, shift: ShiftWindow): Promise<ShiftLedger> {
  const q = kyselyOf(db);
  const rows = await q
    .selectFrom('sales')
    .select(['id', 'state', 'subtotal_fen', 'discount_fen', 'due_fen'])
    .where('terminal_id', '=', shift.terminalId)
    .where((eb) =>
      eb.or([
        eb('shift_id', '=', shift.shiftId),
        eb.and([
          eb('shift_id', 'is', null),
          eb('at', '>=', shift.openedAt),
          ...(shift.closedAt === null ? [] : [eb('at', '<', shift.closedAt)]),
        ]),
      ]),
    )
    .execute();
  const sales = await withoutVoidedAttempts(db, shift.terminalId, rows);
  const stateOf = new Map(sales.map((s) => [s.id, s.state as SaleState]));
  const ids = [...stateOf.keys()];

  const tenders =
    ids.length === 0
      ? []
      : await q
          .selectFrom('sale_tenders')
          .select(['sale_id', 'kind', 'amount_fen', 'change_fen', 'state'])
          .where('terminal_id', '=', shift.terminalId)
          .where('sale_id', 'in', ids)
          .execute();
  const vouchers =
    ids.length === 0
      ? []
      : await q
          .selectFrom('redemptions')
          .leftJoin('batches', 'batches.id', 'redemptions.batch_id')
          .select([
            'redemptions.sale_id',
            'redemptions.batch_id',
            'redemptions.discount_fen',
            'batches.doc',
          ])
          .where('redemptions.terminal_id', '=', shift.terminalId)
          .where('redemptions.sale_id', 'in', ids)
          // A voucher returned by a full refund was still used by the sale in this shift.
          .where('redemptions.status', 'in', ['accepted', 'returned'])
          .execute();
  let refunds = q
    .selectFrom('refund_parts')
    .innerJoin('refunds', (j) =>
      j
        .onRef('refunds.terminal_id', '=', 'refund_parts.terminal_id')
        .onRef('refunds.id', '=', 'refund_parts.refund_id'),
    )
    .select([
      'refund_parts.refund_id',
      'refund_parts.kind',
      'refund_parts.amount_fen',
      'refund_parts.state',
    ])
    .where('refund_parts.terminal_id', '=', shift.terminalId)
    .where('refunds.created_at', '>=', shift.openedAt);
  if (shift.closedAt !== null) refunds = refunds.where('refunds.created_at', '<', shift.closedAt);
  const refundRows = await refunds.execute();

  return {
    floatFen: shift.floatFen,
    countedFen: shift.countedFen,
    sales: sales.map((s) => ({
      state: s.state as SaleState,
      subtotalFen: fenOf(s.subtotal_fen),
      discountFen: fenOf(s.discount_fen),
      dueFen: fenOf(s.due_fen),
    })),
    tenders: tenders.map((t) => ({
      saleState: stateOf.get(t.sale_id) ?? 'open',
      kind: t.kind as ShiftTenderKind,
      amountFen: fenOf(t.amount_fen),
      changeFen: fenOf(t.change_fen),
      state: t.state,
    })),
    vouchers: vouchers.map((v) => ({
      saleState: stateOf.get(v.sale_id ?? '') ?? 'open',
      batchId: v.batch_id ?? '',
      batchName: batchName(v.doc),
      discountFen: fenOf(v.discount_fen),
    })),
    refunds: refundRows.map((r) => ({
      refundId: r.refund_id,
      kind: r.kind === 'cash' ? 'cash' : 'wechat',
      amountFen: fenOf(r.amount_fen),
      state: r.state,
    })),
  };
}

/**
 * The shift's sales without the WeChat attempts a void replaced: the cashier gave up on the
 * attempt and then voided the order (SaleRequest.voided with replaces), one order and one void,
 * counted once — by the void, which holds the order's vouchers. Nothing of the attempt took money.
 */
async function withoutVoidedAttempts<S extends { readonly id: string; readonly state: string }>(
  db: Queryable,
  terminalId: string,
  sales: readonly S[],
): Promise<S[]> {
  const voided = sales.filter((s) => s.state === 'voided').map((s) => s.id);
  if (voided.length === 0) return [...sales];
  const replaced = await kyselyOf(db)
    .selectFrom('sale_replacements')
    .innerJoin('sales', (j) =>
      j
        .onRef('sales.terminal_id', '=', 'sale_replacements.terminal_id')
        .onRef('sales.id', '=', 'sale_replacements.replacing_id'),
    )
    .select('sale_replacements.replaced_id')
    .where('sale_replacements.terminal_id', '=', terminalId)
    .where('sale_replacements.replaced_id', 'in', voided)
    .where('sales.state', '=', 'voided')
    .execute();
  const drop = new Set(replaced.map((r) => r.replaced_id));
  return sales.filter((s) => !drop.has(s.id));
}

function batchName(doc: string | null): string | null {
  if (doc === null) return null;
  const name = (JSON.parse(doc) as { name?: unknown }).name;
  return typeof name === 'string' ? name : null;
}
