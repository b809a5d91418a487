import { sql, type Kysely } from 'kysely';
import type { Fen } from '../../core/money';
import { foldRecords, type ReportRecord } from '../../core/reports/aggregates';
import { DEFAULT_TIME_ZONE } from '../../core/time';
import type { Database, RefundPartTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { TENDER_DAY, upsertTail } from './aggregate-tables';
import { countForReports } from './count';
import { refundRecord } from './records';

/** A refund part whose money has just come back, as its row has it. */
export type SettledPart = Pick<
  RefundPartTable,
  'terminal_id' | 'refund_id' | 'seq' | 'sale_terminal_id' | 'sale_id' | 'tender_seq' | 'amount_fen'
>;

/**
 * Counts refund parts of one refund that have just succeeded — cash handed back as the refund is
 * stored, a WeChat part at WeChat's SUCCESS (answer, query or notification) — in
 * report_tender_day, in the transaction that settles them: under the tender of the sale each
 * went back through, on the refund's own store-local day (records.ts refundRecord). A refund
 * counts once per tender: a part whose tender already has a succeeded part of the same refund
 * (one not among `parts`) only adds its money. A part that closes or ends abnormal never comes
 * here; one that succeeds after ABNORMAL does, once (a part never leaves succeeded).
 */
export async function countRefundedParts(w: WriteTx, parts: readonly SettledPart[]): Promise<void> {
  const first = parts[0];
  if (first === undefined) return;
  // Two parts of one refund settling at once (PostgreSQL) take turns here: the second sees the first.
  let lock = w.trx
    .selectFrom('refunds')
    .select(['store_id', 'created_at'])
    .where('terminal_id', '=', first.terminal_id)
    .where('id', '=', first.refund_id);
  if (w.dialect === 'postgres') lock = lock.forUpdate();
  const refund = await lock.executeTakeFirstOrThrow();
  const store = await w.trx
    .selectFrom('stores')
    .select('time_zone')
    .where('id', '=', refund.store_id)
    .executeTakeFirstOrThrow();
  const kindOf = new Map(
    (
      await w.trx
        .selectFrom('sale_tenders')
        .select(['seq', 'kind'])
        .where('terminal_id', '=', first.sale_terminal_id)
        .where('sale_id', '=', first.sale_id)
        .execute()
    ).map((t) => [t.seq, t.kind]),
  );
  const counted = new Set(
    (
      await w.trx
        .selectFrom('refund_parts')
        .select('tender_seq')
        .where('terminal_id', '=', first.terminal_id)
        .where('refund_id', '=', first.refund_id)
        .where('state', '=', 'succeeded')
        .where(
          'seq',
          'not in',
          parts.map((p) => p.seq),
        )
        .execute()
    ).map((p) => kindOf.get(p.tender_seq)),
  );
  const records = parts.map((p) => {
    const tender = kindOf.get(p.tender_seq) ?? `tender ${p.tender_seq}`;
    const further = counted.has(tender);
    counted.add(tender);
    return refundRecord(
      refund.store_id,
      refund.created_at,
      tender,
      Number(p.amount_fen) as Fen,
      further,
    );
  });
  countForReports(w, records, store.time_zone);
}

/**
 * Every refund's money that is back, read from the ledger for the rebuild: per refund and tender
 * kind, the sum of its succeeded parts, counted once — what countRefundedParts kept live.
 */
export async function refundRecords(db: Kysely<Database>): Promise<ReportRecord[]> {
  const rows = await db
    .selectFrom('refund_parts as p')
    .innerJoin('refunds as r', (j) =>
      j.onRef('r.terminal_id', '=', 'p.terminal_id').onRef('r.id', '=', 'p.refund_id'),
    )
    .innerJoin('sale_tenders as t', (j) =>
      j
        .onRef('t.terminal_id', '=', 'p.sale_terminal_id')
        .onRef('t.sale_id', '=', 'p.sale_id')
        .onRef('t.seq', '=', 'p.tender_seq'),
    )
    .select(['r.terminal_id', 'r.id', 'r.store_id', 'r.created_at', 't.kind', 'p.amount_fen'])
    .where('p.state', '=', 'succeeded')
    .execute();
  const byTender = new Map<
    string,
    { storeId: string; at: string; tender: string; amountFen: number }
  >();
  for (const r of rows) {
    const key = `${r.terminal_id}|${r.id}|${r.kind}`;
    const have = byTender.get(key);
    if (have === undefined)
      byTender.set(key, {
        storeId: r.store_id,
        at: r.created_at,
        tender: r.kind,
        amountFen: Number(r.amount_fen),
      });
    else have.amountFen += Number(r.amount_fen);
  }
  return [...byTender.values()].map((r) =>
    refundRecord(r.storeId, r.at, r.tender, r.amountFen as Fen, false),
  );
}

/**
 * Counts every refund's money back again into report_tender_day's refund counters, leaving its
 * sales as they are: migration 0024, for the refunds made before they were counted (nothing else
 * may write meanwhile). Refunds are never pruned, so every day's figure comes from the ledger.
 */
export async function recountRefunds(db: Kysely<Database>): Promise<void> {
  const zones = new Map(
    (await db.selectFrom('stores').select(['id', 'time_zone']).execute()).map((s) => [
      s.id,
      s.time_zone,
    ]),
  );
  const rows = foldRecords(
    new Map(),
    await refundRecords(db),
    (id) => zones.get(id) ?? DEFAULT_TIME_ZONE,
  );
  await sql`update ${sql.table(TENDER_DAY.name)} set refunds = 0, refund_fen = 0`.execute(db);
  const values = [...rows.values()].flatMap((a) =>
    a.table === 'tender_day' ? [TENDER_DAY.values(a.row)] : [],
  );
  const columns = [...TENDER_DAY.keys, ...TENDER_DAY.counters].map((c) => sql.ref(c));
  for (let i = 0; i < values.length; i += 500)
    await sql`insert into ${sql.table(TENDER_DAY.name)} (${sql.join(columns)}) values ${sql.join(
      values.slice(i, i + 500).map((r) => sql`(${sql.join(r)})`),
    )} ${sql.raw(upsertTail(TENDER_DAY))}`.execute(db);
}
