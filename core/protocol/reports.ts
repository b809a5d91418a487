import { z } from 'zod';
import { BatchId, StoreId } from '../ids';
import { ReportThresholds } from '../reports/alerts';
import { LocalDate } from '../reports/days';

/**
 * The report endpoints' contract (DESIGN.md "Manager console and reports"). Every figure
 * travels as a Table (core/reports/table.ts): the chart draws its rows and the CSV of the same
 * query prints the same rows, so the two cannot disagree. Dates are store-local.
 */

const CellValue = z.union([
  z.string(),
  z.number(),
  z.object({ num: z.number().int().min(0), den: z.number().int().min(1) }).strict(),
  z.null(),
]);

const ColumnKind = z.enum([
  'text',
  'date',
  'count',
  'fen',
  'signedFen',
  'rate',
  'cycle',
  'band',
  'tender',
]);

export const ReportTable = z
  .object({
    columns: z
      .array(
        z
          .object({
            key: z.string(),
            kind: ColumnKind,
            label: z.object({ 'zh-CN': z.string(), en: z.string() }).strict().readonly(),
          })
          .strict()
          .readonly(),
      )
      .readonly(),
    rows: z.array(z.array(CellValue).readonly()).readonly(),
  })
  .strict();

/** At most a year per request: a heatmap of 500 stores × 366 days is the largest answer. */
const MAX_DAYS = 366;

/** The filters every report takes, kept in the console's URL. */
export const ReportQuery = z
  .object({
    from: LocalDate,
    to: LocalDate,
    /** A store manager always gets their own store; a chain manager may pick one. */
    storeId: StoreId.optional(),
    batchId: BatchId.optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= (MAX_DAYS - 1) * 86_400_000, {
    message: `a report covers at most ${MAX_DAYS} days`,
  })
  .describe('report filters (?from=YYYY-MM-DD&to=YYYY-MM-DD[&storeId=][&batchId=])');
export type ReportQuery = z.infer<typeof ReportQuery>;

/** Per batch: funnel, cycle histogram, stores, hours. */
export const BatchReport = z
  .object({
    batchId: BatchId,
    funnel: ReportTable,
    /** healthy ≥ 25%, warning < 15% (the thresholds' bands); null without views. */
    conversionBand: z.enum(['healthy', 'middle', 'warning']).nullable(),
    cycle: ReportTable,
    ranking: ReportTable,
    hours: ReportTable,
  })
  .strict();
export type BatchReport = z.infer<typeof BatchReport>;

/** Per store per day: the heatmap and the ranking (over every batch, or the one asked). */
export const StoreDayReport = z.object({ heatmap: ReportTable, ranking: ReportTable }).strict();
export type StoreDayReport = z.infer<typeof StoreDayReport>;

export const SalesReport = z.object({ tenders: ReportTable }).strict();
export type SalesReport = z.infer<typeof SalesReport>;

export const HoursReport = z.object({ hours: ReportTable }).strict();
export type HoursReport = z.infer<typeof HoursReport>;

/** The tables a CSV can be asked of; each is the same table as in its JSON report. */
export const ReportCsvTable = z.enum(['funnel', 'cycle', 'ranking', 'heatmap', 'tenders', 'hours']);
export type ReportCsvTable = z.infer<typeof ReportCsvTable>;

export const ReportCsvParams = z
  .object({ table: ReportCsvTable })
  .strict()
  .describe('report table in the path (funnel, cycle, ranking, heatmap, tenders or hours)');

export const ReportCsvQuery = z
  .object({
    from: LocalDate,
    to: LocalDate,
    storeId: StoreId.optional(),
    batchId: BatchId.optional(),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  })
  .strict()
  .describe('report filters and the CSV header language (?locale=zh-CN|en)');

const AlertBody = z.discriminatedUnion('code', [
  z
    .object({
      code: z.literal('LOW_REDEMPTION_RATE'),
      batchId: BatchId,
      since: LocalDate,
      days: z.number().int(),
      rateBp: z.number().int(),
    })
    .strict(),
  z
    .object({
      code: z.literal('LONG_CYCLE'),
      batchId: BatchId,
      median: z.enum(['cycle0', 'cycle1', 'cycle2', 'cycle3', 'cycle4to7', 'cycleOver7']),
    })
    .strict(),
  z
    .object({ code: z.literal('LOW_CLAIM_CONVERSION'), batchId: BatchId, rateBp: z.number().int() })
    .strict(),
]);

export const AlertView = z
  .object({
    alert: AlertBody,
    message: z.object({ 'zh-CN': z.string(), en: z.string() }).strict(),
  })
  .strict();
export type AlertView = z.infer<typeof AlertView>;

export const AlertsQuery = z
  .object({ date: LocalDate.optional() })
  .strict()
  .describe('alerts as of a store-local date (?date=YYYY-MM-DD; today without)');

export const AlertsAnswer = z
  .object({ date: LocalDate, thresholds: ReportThresholds, alerts: z.array(AlertView) })
  .strict();
export type AlertsAnswer = z.infer<typeof AlertsAnswer>;

export { ReportThresholds };

export const Dashboard = z
  .object({
    date: LocalDate,
    sales: z.number().int(),
    salesFen: z.number().int(),
    redemptions: z.number().int(),
    discountFen: z.number().int(),
    conflictsWaiting: z.number().int(),
    /**
     * Paired tills whose offline allowance ran out without a renewal: a till that reaches the
     * server renews it before it expires, so one that let it lapse has been out of reach.
     */
    tillsOffline: z.number().int(),
    alerts: z.array(AlertView),
  })
  .strict();
export type Dashboard = z.infer<typeof Dashboard>;
