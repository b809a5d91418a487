import type { Locale } from '../messages/format';
import { type Fen, formatFen } from '../money';
import { CYCLE_BUCKETS, type CycleBucket, type TenderKind } from './aggregates';
import { bandText, cycleBucketText, tenderText } from './labels';
import type {
  CycleBar,
  CycleBand,
  Funnel,
  HeatCell,
  HourPoint,
  StoreRank,
  TenderLine,
} from './figures';
import { basisPoints, percentText, type Rate } from './rate';

/**
 * A figure as a table: what a chart draws and what its CSV holds. Each figure has one
 * `…Table` function, the chart reads its rows by column key and the CSV prints the same rows,
 * so the two cannot disagree. Cells keep their raw values (fen, rates, keys); text is made
 * only by cellText, at the edge.
 */
export type CellValue = string | number | Rate | null;

export type ColumnKind =
  'text' | 'date' | 'count' | 'fen' | 'signedFen' | 'rate' | 'cycle' | 'band' | 'tender';

export interface Column {
  /** English column name, also the key a chart reads. */
  readonly key: string;
  readonly kind: ColumnKind;
  readonly label: Readonly<Record<Locale, string>>;
}

export interface Table {
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly CellValue[])[];
}

type Row<T> = { readonly [K in keyof T]: CellValue };

interface ColumnOf<T> extends Column {
  readonly key: keyof T & string;
}

const col = <T>(key: keyof T & string, kind: ColumnKind, zh: string, en: string): ColumnOf<T> => ({
  key,
  kind,
  label: { 'zh-CN': zh, en },
});

function tableOf<T extends Row<T>>(columns: readonly ColumnOf<T>[], items: readonly T[]): Table {
  return { columns, rows: items.map((item) => columns.map((c) => item[c.key])) };
}

const FUNNEL = [
  col<Funnel>('views', 'count', '浏览', 'Views'),
  col<Funnel>('claims', 'count', '领取', 'Claims'),
  col<Funnel>('redemptions', 'count', '核销', 'Redemptions'),
  col<Funnel>('claimConversion', 'rate', '领取转化率', 'Claim conversion'),
  col<Funnel>('redemptionRate', 'rate', '核销率', 'Redemption rate'),
  col<Funnel>('discountFen', 'fen', '优惠金额（元）', 'Discount (yuan)'),
  col<Funnel>('voucherSales', 'count', '用券订单数', 'Sales with the voucher'),
  col<Funnel>('voucherSalesFen', 'fen', '用券订单金额（元）', 'Their total (yuan)'),
];
export const funnelTable = (f: Funnel): Table => tableOf(FUNNEL, [f]);

const CYCLE = [
  col<CycleBar>('bucket', 'cycle', '核销周期', 'Redemption cycle'),
  col<CycleBar>('redemptions', 'count', '核销', 'Redemptions'),
  col<CycleBar>('share', 'rate', '占比', 'Share'),
  col<CycleBar>('band', 'band', '区间', 'Band'),
];
export const cycleTable = (bars: readonly CycleBar[]): Table => tableOf(CYCLE, bars);

const RANKING = [
  col<StoreRank>('rank', 'count', '排名', 'Rank'),
  col<StoreRank>('storeId', 'text', '门店', 'Store'),
  col<StoreRank>('redemptions', 'count', '核销', 'Redemptions'),
  col<StoreRank>('discountFen', 'fen', '优惠金额（元）', 'Discount (yuan)'),
  col<StoreRank>('voucherSales', 'count', '用券订单数', 'Sales with the voucher'),
  col<StoreRank>('voucherSalesFen', 'fen', '用券订单金额（元）', 'Their total (yuan)'),
];
export const rankingTable = (ranks: readonly StoreRank[]): Table => tableOf(RANKING, ranks);

const HEATMAP = [
  col<HeatCell>('storeId', 'text', '门店', 'Store'),
  col<HeatCell>('date', 'date', '日期', 'Date'),
  col<HeatCell>('redemptions', 'count', '核销', 'Redemptions'),
  col<HeatCell>('discountFen', 'fen', '优惠金额（元）', 'Discount (yuan)'),
];
export const heatmapTable = (cells: readonly HeatCell[]): Table => tableOf(HEATMAP, cells);

const TENDERS = [
  col<TenderLine>('storeId', 'text', '门店', 'Store'),
  col<TenderLine>('date', 'date', '日期', 'Date'),
  col<TenderLine>('tender', 'tender', '支付方式', 'Tender'),
  col<TenderLine>('count', 'count', '笔数', 'Sales'),
  col<TenderLine>('amountFen', 'fen', '金额（元）', 'Amount (yuan)'),
  col<TenderLine>('refunds', 'count', '退款笔数', 'Refunds'),
  col<TenderLine>('refundFen', 'fen', '退款金额（元）', 'Refunded (yuan)'),
  col<TenderLine>('netFen', 'signedFen', '净额（元）', 'Net (yuan)'),
];
export const tenderTable = (lines: readonly TenderLine[]): Table => tableOf(TENDERS, lines);

const HOURS = [
  col<HourPoint>('hour', 'count', '时段', 'Hour'),
  col<HourPoint>('claims', 'count', '领取', 'Claims'),
  col<HourPoint>('redemptions', 'count', '核销', 'Redemptions'),
];
export const hourTable = (points: readonly HourPoint[]): Table => tableOf(HOURS, points);

const isCycle = (v: string): v is CycleBucket => (CYCLE_BUCKETS as readonly string[]).includes(v);

/** A cell as text: yuan without symbol or grouping, rates as percent, keys in the locale's words. */
export function cellText(column: Column, value: CellValue, locale: Locale): string {
  if (value === null) return '';
  if (typeof value === 'object') return percentText(basisPoints(value));
  switch (column.kind) {
    case 'fen':
      return formatFen(value as Fen, { symbol: '', grouping: false });
    case 'signedFen': {
      const n = Number(value);
      return `${n < 0 ? '-' : ''}${formatFen(Math.abs(n) as Fen, { symbol: '', grouping: false })}`;
    }
    case 'cycle':
      return typeof value === 'string' && isCycle(value)
        ? cycleBucketText(value, locale)
        : String(value);
    case 'band':
      return bandText(value as CycleBand, locale);
    case 'tender':
      return tenderText(value as TenderKind, locale);
    case 'rate':
    case 'text':
    case 'date':
    case 'count':
      return String(value);
    default:
      throw new Error(`unknown column kind ${JSON.stringify(column.kind satisfies never)}`);
  }
}

/** A spreadsheet would run text starting with these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(text: string, kind: ColumnKind): string {
  const safe = kind === 'text' && FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The table as CSV (RFC 4180, CRLF), its header row in the locale's column names. It starts
 * with a UTF-8 byte-order mark so Excel, which most managers open it with, reads the Chinese
 * as UTF-8.
 */
export function toCsv(table: Table, locale: Locale): string {
  const lines = [
    table.columns.map((c) => csvField(c.label[locale], 'text')),
    ...table.rows.map((row) =>
      table.columns.map((c, i) => csvField(cellText(c, row[i] ?? null, locale), c.kind)),
    ),
  ];
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}
