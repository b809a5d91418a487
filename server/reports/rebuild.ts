import { sql, type Kysely } from 'kysely';
import {
  foldRecords,
  keyOf,
  mergeAggregates,
  ZERO_BATCH_COUNTS,
  type AggregateRow,
  type Aggregates,
  type ReportRecord,
} from '../../core/reports/aggregates';
import type { BatchId, StoreId } from '../../core/ids';
import type { Fen } from '../../core/money';
import { DEFAULT_TIME_ZONE } from '../../core/time';
import type { Database } from '../db/schema';
import { AGGREGATE_TABLES, BATCH_DAY, BATCH_HOUR, STORE_DAY, TENDER_DAY } from './aggregate-tables';
import { paidSales } from './paid-sale';
import { redemptionRecord } from './records';
import { refundRecords } from './refunds';

/**
 * Every record the aggregates count, read back from the ledger (records.ts says what counts).
 * A redemption's discount is the one its row recorded; a refused offline redemption whose code
 * a manager then gave up as a loss (ledger/conflicts.ts accept_loss) counts the till's figure
 * the conflict holds, as its row recorded none.
 */
async function ledgerRecords(
  db: Kysely<Database>,
): Promise<{ records: ReportRecord[]; zones: Map<string, string> }> {
  const zones = new Map(
    (await db.selectFrom('stores').select(['id', 'time_zone']).execute()).map((s) => [
      s.id,
      s.time_zone,
    ]),
  );
  const taken = await db
    .selectFrom('codes')
    .innerJoin('redemptions as r', (j) =>
      j
        .onRef('r.terminal_id', '=', 'codes.redeemed_terminal_id')
        .onRef('r.id', '=', 'codes.redemption_id'),
    )
    .leftJoin('conflicts as c', (j) =>
      j
        .onRef('c.terminal_id', '=', 'r.terminal_id')
        .onRef('c.redemption_id', '=', 'r.id')
        .on('c.resolution', '=', 'accept_loss'),
    )
    .select([
      'codes.batch_id',
      'codes.redeemed_store_id',
      'codes.redeemed_at',
      'codes.claimed_at',
      'r.discount_fen',
      'c.discount_fen as loss_fen',
    ])
    .where('codes.redeemed_at', 'is not', null)
    .execute();
  const records: ReportRecord[] = taken.map((t) => {
    const recorded = Number(t.discount_fen);
    const discount = recorded === 0 && t.loss_fen !== null ? Number(t.loss_fen) : recorded;
    return redemptionRecord(
      t.batch_id as BatchId,
      t.redeemed_store_id ?? '',
      t.redeemed_at ?? '',
      t.claimed_at,
      discount as Fen,
    );
  });
  for (const s of await paidSales(db)) records.push(s.record);
  records.push(...(await refundRecords(db)));
  const claims = await db
    .selectFrom('claims')
    .innerJoin('claim_pages', 'claim_pages.id', 'claims.page_id')
    .select(['claims.batch_id', 'claim_pages.store_id', 'claims.claimed_at'])
    .execute();
  for (const c of claims)
    records.push({
      kind: 'claim',
      batchId: c.batch_id as BatchId,
      storeId: c.store_id as StoreId,
      atMs: Date.parse(c.claimed_at),
    });
  return { records, zones };
}

/** The aggregates the ledger's records add up to, computed in memory (the tests' reference). */
export async function aggregatesFromLedger(db: Kysely<Database>): Promise<Aggregates> {
  const { records, zones } = await ledgerRecords(db);
  return foldRecords(new Map(), records, (id: StoreId) => zones.get(id) ?? DEFAULT_TIME_ZONE);
}

/** What the three tables hold, as core aggregates (rows of all zeros left out). */
export async function storedAggregates(db: Kysely<Database>): Promise<Aggregates> {
  const out = new Map<string, AggregateRow>();
  const read = (t: { name: string }) =>
    sql<Record<string, unknown>>`select * from ${sql.table(t.name)}`.execute(db);
  for (const r of (await read(BATCH_DAY)).rows) {
    const a = { table: 'batch_day' as const, row: BATCH_DAY.parse(r) };
    out.set(keyOf(a), a);
  }
  for (const r of (await read(TENDER_DAY)).rows) {
    const a = { table: 'tender_day' as const, row: TENDER_DAY.parse(r) };
    out.set(keyOf(a), a);
  }
  for (const r of (await read(BATCH_HOUR)).rows) {
    const a = { table: 'batch_hour' as const, row: BATCH_HOUR.parse(r) };
    out.set(keyOf(a), a);
  }
  return out;
}

/**
 * The last day whose raw records a prune may have removed (ops/prune.ts), or null if nothing
 * was ever pruned. Pruned records are older than the cutoff instant, so in any store's zone
 * (UTC-12 to UTC+14) they fall on the cutoff's UTC date or the day after at the latest.
 */
async function prunedThrough(db: Kysely<Database>): Promise<string | null> {
  // Before migration 0014 (its own backfill in 0012 runs then) there is no such table.
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === 'pruned_records')) return null;
  const row = await db
    .selectFrom('pruned_records')
    .select((eb) => eb.fn.max('cutoff').as('cutoff'))
    .executeTakeFirst();
  if (!row?.cutoff) return null;
  return new Date(Date.parse(`${row.cutoff.slice(0, 10)}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);
}

/**
 * Recomputes the three tables from the ledger (claims, redemptions, paid sales, refunds' money
 * back): the migration's
 * backfill, and the repair if a table were ever in doubt. Days whose records a prune may have
 * removed keep their stored rows as they are: the ledger no longer holds all they counted.
 * Run in one transaction that nothing else writes in (the migration, or a caller holding the
 * write path), so no increment lands between the delete and the insert.
 */
export async function rebuildAggregates(db: Kysely<Database>): Promise<void> {
  const through = await prunedThrough(db);
  const pruned = (a: AggregateRow) => through !== null && a.row.date <= through;
  const stored = [...(await storedAggregates(db)).values()];
  // Page views are kept nowhere but here (no log of them): they survive the rebuild as they are.
  const views = stored.flatMap((a) =>
    a.table === 'batch_day' && a.row.views > 0 && !pruned(a)
      ? [
          {
            table: 'batch_day' as const,
            row: { ...a.row, ...ZERO_BATCH_COUNTS, views: a.row.views },
          },
        ]
      : [],
  );
  const recounted = [...(await aggregatesFromLedger(db)).values()].filter((a) => !pruned(a));
  const aggregates = mergeAggregates(new Map(), [...recounted, ...views, ...stored.filter(pruned)]);
  for (const t of AGGREGATE_TABLES) await sql`delete from ${sql.table(t.name)}`.execute(db);
  const byTable = new Map<string, unknown[][]>();
  for (const a of aggregates.values()) {
    const t =
      a.table === 'batch_day' ? BATCH_DAY : a.table === 'tender_day' ? TENDER_DAY : BATCH_HOUR;
    const values =
      a.table === 'batch_day'
        ? BATCH_DAY.values(a.row)
        : a.table === 'tender_day'
          ? TENDER_DAY.values(a.row)
          : BATCH_HOUR.values(a.row);
    const list = byTable.get(t.name) ?? [];
    list.push(values);
    byTable.set(t.name, list);
  }
  for (const t of AGGREGATE_TABLES) {
    const rows = byTable.get(t.name) ?? [];
    const columns = [...t.keys, ...t.counters];
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await sql`insert into ${sql.table(t.name)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(
        chunk.map((r) => sql`(${sql.join(r)})`),
      )}`.execute(db);
    }
  }
  // Before migration 0018 (migration 0012's backfill runs then) there is no such table.
  if ((await db.introspection.getTables()).some((t) => t.name === STORE_DAY.name))
    await rebuildStoreDays(db);
}

/** Recomputes report_store_day from report_batch_day (aggregate-tables.ts STORE_DAY). */
export async function rebuildStoreDays(db: Kysely<Database>): Promise<void> {
  const columns = [...STORE_DAY.keys, ...STORE_DAY.counters].map((c) => sql.ref(c));
  await sql`delete from ${sql.table(STORE_DAY.name)}`.execute(db);
  await sql`insert into ${sql.table(STORE_DAY.name)} (${sql.join(columns)})
    select store_id, day, ${sql.join(STORE_DAY.counters.map((c) => sql`sum(${sql.ref(c)})`))}
    from ${sql.table(BATCH_DAY.name)} group by store_id, day`.execute(db);
}
