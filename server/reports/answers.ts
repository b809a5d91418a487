import type { Kysely } from 'kysely';
import type { BatchId, StoreId } from '../../core/ids';
import type {
  BatchReport,
  HoursReport,
  ReportCsvTable,
  ReportQuery,
  SalesReport,
  StoreDayReport,
} from '../../core/protocol';
import { conversionBand, type ReportThresholds } from '../../core/reports/alerts';
import {
  byHour,
  cycleHistogram,
  funnel,
  salesByTender,
  storeDayHeatmap,
  storeRanking,
  sumCounts,
} from '../../core/reports/figures';
import {
  cycleTable,
  funnelTable,
  heatmapTable,
  hourTable,
  rankingTable,
  tenderTable,
  type Table,
} from '../../core/reports/table';
import type { Database } from '../db/schema';
import { batchDays, hourRows, storeDays, tenderDays, type RowFilter } from './read';

/**
 * The report answers: aggregate rows read (read.ts), figures computed by core/reports, each
 * figure as its Table. The CSV route asks these same functions for one of their tables.
 */

const filterOf = (q: ReportQuery, storeId: string | null, batchId?: string): RowFilter => ({
  from: q.from,
  to: q.to,
  storeId,
  batchId: batchId ?? q.batchId ?? null,
});

export async function batchReport(
  db: Kysely<Database>,
  batchId: BatchId,
  q: ReportQuery,
  storeId: string | null,
  thresholds: ReportThresholds,
): Promise<BatchReport> {
  const filter = filterOf(q, storeId, batchId);
  const byStore = await batchDays(db, filter, ['store_id']);
  const total = sumCounts(byStore);
  return {
    batchId,
    funnel: funnelTable(funnel(total)),
    conversionBand: conversionBand(total, thresholds),
    cycle: cycleTable(cycleHistogram(total)),
    ranking: rankingTable(storeRanking(byStore)),
    hours: hourTable(byHour(await hourRows(db, filter))),
  };
}

/** The stores a heatmap has a row for: the one in scope, or every store of the chain. */
async function storesIn(db: Kysely<Database>, storeId: string | null): Promise<StoreId[]> {
  if (storeId !== null) return [storeId as StoreId];
  const rows = await db.selectFrom('stores').select('id').orderBy('id').execute();
  return rows.map((r) => r.id as StoreId);
}

export async function storeDayReport(
  db: Kysely<Database>,
  q: ReportQuery,
  storeId: string | null,
): Promise<StoreDayReport> {
  const days = await storeDays(db, filterOf(q, storeId));
  return {
    heatmap: heatmapTable(storeDayHeatmap(days, await storesIn(db, storeId), q.from, q.to)),
    ranking: rankingTable(storeRanking(days)),
  };
}

export async function salesReport(
  db: Kysely<Database>,
  q: ReportQuery,
  storeId: string | null,
): Promise<SalesReport> {
  return { tenders: tenderTable(salesByTender(await tenderDays(db, filterOf(q, storeId)))) };
}

export async function hoursReport(
  db: Kysely<Database>,
  q: ReportQuery,
  storeId: string | null,
): Promise<HoursReport> {
  return { hours: hourTable(byHour(await hourRows(db, filterOf(q, storeId)))) };
}

/**
 * One table of a report, for its CSV: funnel and cycle need a batch (the batch report's);
 * ranking is the batch's with a batch, else the store-day report's.
 */
export async function reportTable(
  db: Kysely<Database>,
  table: ReportCsvTable,
  q: ReportQuery,
  storeId: string | null,
  thresholds: ReportThresholds,
): Promise<Table | null> {
  switch (table) {
    case 'funnel':
    case 'cycle':
    case 'ranking':
      if (q.batchId !== undefined)
        return (await batchReport(db, q.batchId, q, storeId, thresholds))[table];
      return table === 'ranking' ? (await storeDayReport(db, q, storeId)).ranking : null;
    case 'heatmap':
      return (await storeDayReport(db, q, storeId)).heatmap;
    case 'tenders':
      return (await salesReport(db, q, storeId)).tenders;
    case 'hours':
      return (await hoursReport(db, q, storeId)).hours;
    default:
      throw new Error(`unknown report table ${JSON.stringify(table satisfies never)}`);
  }
}
