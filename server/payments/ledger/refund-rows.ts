import type { Selectable } from 'kysely';
import type { ClientId, Instant, VoucherCode } from '../../../core/ids';
import type { Fen } from '../../../core/money';
import {
  wasPaid,
  type RefundPartState,
  type RefundView,
  type SaleState,
} from '../../../core/protocol';
import { appendAudit } from '../../audit/chain';
import type { Queryable } from '../../db/prepared';
import { kyselyOf } from '../../db/prepared';
import type { RefundPartTable, RefundTable, SaleTable } from '../../db/schema';
import type { WriteTx } from '../../db/storage';
import { HttpError } from '../../http/errors';
import { countRefundedParts } from '../../reports/refunds';
import { linesLeft } from './refund-lines';
import { returnRefundedVouchers } from './refund-vouchers';

export type RefundRow = Selectable<RefundTable>;
export type RefundPartRow = Selectable<RefundPartTable>;
type SaleRow = Pick<Selectable<SaleTable>, 'terminal_id' | 'id' | 'store_id' | 'state' | 'doc'>;

export async function refundRow(
  db: Queryable,
  terminalId: string,
  id: string,
): Promise<RefundRow | undefined> {
  return kyselyOf(db)
    .selectFrom('refunds')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function refundOr404(
  db: Queryable,
  terminalId: string,
  id: string,
): Promise<RefundRow> {
  const row = await refundRow(db, terminalId, id);
  if (row === undefined)
    throw new HttpError(
      404,
      'NOT_FOUND',
      `This terminal has no refund ${id}; request it first with POST /v1/refunds.`,
    );
  return row;
}

export async function partsOf(db: Queryable, row: RefundRow): Promise<RefundPartRow[]> {
  return kyselyOf(db)
    .selectFrom('refund_parts')
    .selectAll()
    .where('terminal_id', '=', row.terminal_id)
    .where('refund_id', '=', row.id)
    .orderBy('seq')
    .execute();
}

/** A sale of this store by its id (sale ids are UUIDs: one store never has two alike). */
export async function saleOfStore(
  db: Queryable,
  storeId: string,
  saleId: string,
): Promise<SaleRow | undefined> {
  return kyselyOf(db)
    .selectFrom('sales')
    .select(['terminal_id', 'id', 'store_id', 'state', 'doc'])
    .where('id', '=', saleId)
    .where('store_id', '=', storeId)
    .executeTakeFirst();
}

/** One paid tender of a sale and what is left of it to give back. */
export interface RefundableTender {
  readonly seq: number;
  readonly kind: 'cash' | 'wechat';
  readonly paymentId: string | null;
  readonly amountFen: number;
  readonly leftFen: number;
}

/**
 * The sale's paid tenders with what each has left to refund (its amount less its refund parts not
 * closed), WeChat tenders first: 原路退款 gives money back the way it came, and what WeChat
 * returns needs no count of the drawer.
 */
export async function refundableTenders(
  db: Queryable,
  saleTerminalId: string,
  saleId: string,
): Promise<RefundableTender[]> {
  const q = kyselyOf(db);
  const tenders = await q
    .selectFrom('sale_tenders')
    .select(['seq', 'kind', 'amount_fen', 'payment_id', 'state'])
    .where('terminal_id', '=', saleTerminalId)
    .where('sale_id', '=', saleId)
    .where('state', 'in', ['settled', 'paid'])
    .orderBy('seq')
    .execute();
  const parts = await q
    .selectFrom('refund_parts')
    .select(['tender_seq', 'amount_fen'])
    .where('sale_terminal_id', '=', saleTerminalId)
    .where('sale_id', '=', saleId)
    .where('state', '!=', 'closed')
    .execute();
  const used = new Map<number, number>();
  for (const p of parts)
    used.set(p.tender_seq, (used.get(p.tender_seq) ?? 0) + Number(p.amount_fen));
  const all = tenders.map((t) => ({
    seq: t.seq,
    kind: t.kind === 'cash' ? ('cash' as const) : ('wechat' as const),
    paymentId: t.payment_id,
    amountFen: Number(t.amount_fen),
    leftFen: Number(t.amount_fen) - (used.get(t.seq) ?? 0),
  }));
  return [...all.filter((t) => t.kind === 'wechat'), ...all.filter((t) => t.kind === 'cash')];
}

/**
 * The refund as its till sees it: the parts, the overall state, the sale's state now, and the
 * codes it gave back (the redemptions of its sale that name it as the refund that returned them).
 */
export async function refundView(db: Queryable, row: RefundRow): Promise<RefundView> {
  const parts = await partsOf(db, row);
  const q = kyselyOf(db);
  const sale = await q
    .selectFrom('sales')
    .select('state')
    .where('terminal_id', '=', row.sale_terminal_id)
    .where('id', '=', row.sale_id)
    .executeTakeFirst();
  const returned = await q
    .selectFrom('redemptions')
    .select('code')
    .where('terminal_id', '=', row.sale_terminal_id)
    .where('sale_id', '=', row.sale_id)
    .where('status', '=', 'returned')
    .where('returned_refund_id', '=', row.id)
    .orderBy('id')
    .execute();
  return {
    refundId: row.id as ClientId,
    saleId: row.sale_id as ClientId,
    amountFen: Number(row.amount_fen) as Fen,
    state: overallState(parts.map((p) => p.state as RefundPartState)),
    parts: parts.map((p) => ({
      kind: p.kind === 'cash' ? 'cash' : 'wechat',
      amountFen: Number(p.amount_fen) as Fen,
      paymentId: p.payment_id as ClientId | null,
      state: p.state as RefundPartState,
    })),
    saleState: (sale?.state ?? 'paid') as SaleState,
    approvedBy: row.approved_by,
    approvedAt: row.created_at as Instant,
    returnedVouchers: returned.map((r) => r.code as VoucherCode),
  };
}

function overallState(states: readonly RefundPartState[]): RefundPartState {
  for (const s of ['requested', 'processing', 'abnormal'] as const)
    if (states.includes(s)) return s;
  if (states.length > 0 && states.every((s) => s === 'closed')) return 'closed';
  return 'succeeded';
}

/**
 * Moves a refund part from one of `from` to `to`, chains its audit entry (amount and our refund
 * number, never a merchant id) and brings the sale's state up to date; a part that succeeded is
 * counted in the sales report and may complete the sale's refund. False when another request
 * moved it first.
 */
export async function movePart(
  w: WriteTx,
  part: RefundPartRow,
  from: readonly RefundPartState[],
  to: RefundPartState,
  set: Partial<
    Pick<RefundPartRow, 'wechat_refund_id' | 'provider_code' | 'queried_at' | 'settled_at'>
  >,
  now: string,
  note: Record<string, unknown> = {},
): Promise<boolean> {
  const moved = await w.trx
    .updateTable('refund_parts')
    .set({ ...set, state: to, updated_at: now })
    .where('terminal_id', '=', part.terminal_id)
    .where('refund_id', '=', part.refund_id)
    .where('seq', '=', part.seq)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return false;
  await appendAudit(
    w,
    {
      actor: `terminal:${part.terminal_id}`,
      terminalId: part.terminal_id,
      storeId: part.store_id,
      action: `refund.${to}`,
      subject: `refund:${part.refund_id}`,
      before: { state: part.state },
      after: {
        state: to,
        part: part.seq,
        kind: part.kind,
        amountFen: Number(part.amount_fen),
        outRefundNo: part.out_refund_no,
        saleId: part.sale_id,
        ...note,
      },
    },
    now,
  );
  if (to === 'closed') await syncSaleState(w, part.sale_terminal_id, part.sale_id, now);
  if (to === 'succeeded') {
    await countRefundedParts(w, [part]);
    await returnRefundedVouchers(
      w,
      part.sale_terminal_id,
      part.sale_id,
      { terminalId: part.terminal_id, id: part.refund_id },
      now,
    );
  }
  return true;
}

/**
 * The sale's state from its refunds: refunded once its refund parts (not closed) cover every paid
 * tender, partly_refunded while they cover some, paid again when every refund closed. A sale that
 * took no money (paid wholly by vouchers) is refunded by its lines instead: refunded once every
 * unit is returned, partly_refunded while some are.
 */
export async function syncSaleState(
  w: WriteTx,
  saleTerminalId: string,
  saleId: string,
  now: string,
): Promise<void> {
  const sale = await w.trx
    .selectFrom('sales')
    .select(['state', 'store_id'])
    .where('terminal_id', '=', saleTerminalId)
    .where('id', '=', saleId)
    .executeTakeFirst();
  if (sale === undefined || !wasPaid(sale.state)) return;
  const tenders = await refundableTenders(w, saleTerminalId, saleId);
  const paid = tenders.reduce((s, t) => s + t.amountFen, 0);
  const left = tenders.reduce((s, t) => s + t.leftFen, 0);
  const state: SaleState =
    paid === 0
      ? await stateByLines(w, saleTerminalId, saleId)
      : left <= 0
        ? 'refunded'
        : left < paid
          ? 'partly_refunded'
          : 'paid';
  if (state === sale.state) return;
  await w.trx
    .updateTable('sales')
    .set({ state })
    .where('terminal_id', '=', saleTerminalId)
    .where('id', '=', saleId)
    .execute();
  await appendAudit(
    w,
    {
      actor: `terminal:${saleTerminalId}`,
      terminalId: saleTerminalId,
      storeId: sale.store_id,
      action: `sale.${state}`,
      subject: `sale:${saleId}`,
      before: { state: sale.state },
      after: { state, refundedFen: paid - left, paidFen: paid },
    },
    now,
  );
}

/** A sale that took no money, by the units its refunds returned. */
async function stateByLines(
  w: WriteTx,
  saleTerminalId: string,
  saleId: string,
): Promise<SaleState> {
  const { lines } = await linesLeft(w, saleTerminalId, saleId);
  const sold = lines.reduce((s, l) => s + l.quantity, 0);
  const returned = lines.reduce((s, l) => s + Math.min(l.quantity, l.refundedQuantity), 0);
  return returned >= sold ? 'refunded' : returned > 0 ? 'partly_refunded' : 'paid';
}
