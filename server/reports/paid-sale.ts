import type { Kysely } from 'kysely';
import { PAID_SALE_STATES } from '../../core/protocol';
import type { ReportRecord } from '../../core/reports/aggregates';
import type { Database } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { countForReports } from './count';
import { saleRecord } from './records';

/**
 * Paid sales as report records with their store's zone, read from the ledger: the sale, its
 * tenders and the redemptions applied to it (with those given back by its refund marked).
 * `only` limits it to one sale (a WeChat payment just confirmed); without it every sale that
 * was paid (the rebuild).
 */
export async function paidSales(
  db: Kysely<Database>,
  only?: { readonly terminalId: string; readonly saleId: string },
): Promise<{ record: ReportRecord; timeZone: string }[]> {
  let sales = db
    .selectFrom('sales')
    .innerJoin('stores', 'stores.id', 'sales.store_id')
    .select([
      'sales.terminal_id',
      'sales.id',
      'sales.store_id',
      'sales.at',
      'sales.subtotal_fen',
      'stores.time_zone',
    ])
    // A refund does not take a sale back out of the aggregates: the rebuild counts it as the live
    // upkeep did.
    .where('sales.state', 'in', PAID_SALE_STATES);
  let tenders = db
    .selectFrom('sale_tenders')
    .innerJoin('sales', (j) =>
      j
        .onRef('sales.terminal_id', '=', 'sale_tenders.terminal_id')
        .onRef('sales.id', '=', 'sale_tenders.sale_id'),
    )
    .select(['sale_tenders.terminal_id', 'sale_tenders.sale_id', 'kind', 'amount_fen'])
    .where('sales.state', 'in', PAID_SALE_STATES);
  let vouchers = db
    .selectFrom('redemptions')
    .innerJoin('sales', (j) =>
      j
        .onRef('sales.terminal_id', '=', 'redemptions.terminal_id')
        .onRef('sales.id', '=', 'redemptions.sale_id'),
    )
    .select([
      'redemptions.terminal_id',
      'redemptions.sale_id',
      'redemptions.batch_id',
      'redemptions.discount_fen',
      'redemptions.status',
    ])
    .where('sales.state', 'in', PAID_SALE_STATES)
    .where('redemptions.status', 'in', ['accepted', 'returned'])
    .where('redemptions.batch_id', 'is not', null);
  if (only) {
    sales = sales
      .where('sales.terminal_id', '=', only.terminalId)
      .where('sales.id', '=', only.saleId);
    tenders = tenders
      .where('sales.terminal_id', '=', only.terminalId)
      .where('sales.id', '=', only.saleId);
    vouchers = vouchers
      .where('sales.terminal_id', '=', only.terminalId)
      .where('sales.id', '=', only.saleId);
  }
  const key = (terminalId: string, saleId: string | null) => `${terminalId}|${saleId ?? ''}`;
  const tendersOf = new Map<string, { kind: string; amountFen: number }[]>();
  for (const t of await tenders.orderBy('sale_tenders.seq').execute()) {
    const k = key(t.terminal_id, t.sale_id);
    const list = tendersOf.get(k) ?? [];
    list.push({ kind: t.kind, amountFen: Number(t.amount_fen) });
    tendersOf.set(k, list);
  }
  const vouchersOf = new Map<
    string,
    { batchId: string; discountFen: number; returned: boolean }[]
  >();
  for (const v of await vouchers.execute()) {
    const k = key(v.terminal_id, v.sale_id);
    const list = vouchersOf.get(k) ?? [];
    list.push({
      batchId: v.batch_id ?? '',
      discountFen: Number(v.discount_fen),
      returned: v.status === 'returned',
    });
    vouchersOf.set(k, list);
  }
  return (await sales.execute()).map((s) => ({
    timeZone: s.time_zone,
    record: saleRecord({
      storeId: s.store_id,
      at: s.at,
      subtotalFen: Number(s.subtotal_fen),
      tenders: tendersOf.get(key(s.terminal_id, s.id)) ?? [],
      vouchers: vouchersOf.get(key(s.terminal_id, s.id)) ?? [],
    }),
  }));
}

/** Counts a sale that has just become paid (its last WeChat tender confirmed). */
export async function countPaidSale(w: WriteTx, terminalId: string, saleId: string): Promise<void> {
  for (const s of await paidSales(w.trx, { terminalId, saleId }))
    countForReports(w, [s.record], s.timeZone);
}
