import type { BatchId, StoreId } from '../../../core/ids';
import type { ReportCsvTable, ReportQuery } from '../../../core/protocol/index';
import { addDays, dayNumber, LocalDate } from '../../../core/reports/days';

/**
 * The report filters as the console keeps them in its URL (?from=&to=&store=&batch=), so a
 * copied link reproduces the view. Parsing never fails: a missing or broken value falls back to
 * its default, a reversed range is put the right way round, and a range longer than the server
 * answers (366 days) keeps its end and is cut at the start.
 */
export interface ReportFilters {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly storeId: StoreId | null;
  readonly batchId: BatchId | null;
}

/** The last 30 days, today included: a month of a running promotion. */
export const DEFAULT_DAYS = 30;
/** The longest range one report request may cover (core/protocol/reports.ts). */
export const MAX_DAYS = 366;

/** Ids are slugs (core/ids.ts); anything else in the URL is ignored rather than sent. */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

const dateParam = (value: string | null): LocalDate | null =>
  value !== null && LocalDate.safeParse(value).success ? value : null;

const idParam = (value: string | null): string | null =>
  value !== null && SLUG.test(value) ? value : null;

export function parseReportFilters(params: URLSearchParams, today: LocalDate): ReportFilters {
  let to = dateParam(params.get('to')) ?? today;
  let from = dateParam(params.get('from')) ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) [from, to] = [to, from];
  if (dayNumber(to) - dayNumber(from) > MAX_DAYS - 1) from = addDays(to, -(MAX_DAYS - 1));
  return {
    from,
    to,
    storeId: idParam(params.get('store')) as StoreId | null,
    batchId: idParam(params.get('batch')) as BatchId | null,
  };
}

/** `params` with one filter changed (an empty value removes it); other parameters are kept. */
export function withFilter(
  params: URLSearchParams,
  name: 'from' | 'to' | 'store' | 'batch' | 'metric',
  value: string,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === '') next.delete(name);
  else next.set(name, value);
  return next;
}

/** The filters as the report routes take them. */
export function reportQuery(f: ReportFilters): ReportQuery {
  return {
    from: f.from,
    to: f.to,
    ...(f.storeId ? { storeId: f.storeId } : {}),
    ...(f.batchId ? { batchId: f.batchId } : {}),
  };
}

/** The reportCsv route's path and query for one table, with the same filters as the screen. */
export function csvPath(table: ReportCsvTable, f: ReportFilters, locale: 'zh-CN' | 'en'): string {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.storeId) q.set('storeId', f.storeId);
  if (f.batchId) q.set('batchId', f.batchId);
  q.set('locale', locale);
  return `/v1/manager/reports/csv/${table}?${q.toString()}`;
}
