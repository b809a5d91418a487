import type { Locale } from '../../../core/messages/format';
import type { BatchReport } from '../../../core/protocol/index';
import { cellText, type CellValue, type Column } from '../../../core/reports/table';

/**
 * Reading a report table by column key: what a chart draws is taken from the same rows the
 * table under it shows and its CSV prints, never computed a second way.
 */
/** A report table as the API answers it (core/reports/table.ts's Table, validated). */
export type ReportTable = BatchReport['funnel'];

export function columnOf(table: ReportTable, key: string): { column: Column; index: number } {
  const index = table.columns.findIndex((c) => c.key === key);
  const column = table.columns[index];
  if (column === undefined) throw new Error(`the report table has no column ${key}`);
  return { column, index };
}

/** The raw cells of one column, row by row. */
export function cells(table: ReportTable, key: string): CellValue[] {
  const { index } = columnOf(table, key);
  return table.rows.map((row) => row[index] ?? null);
}

/** A count or fen column as numbers (an empty cell is 0). */
export function numbers(table: ReportTable, key: string): number[] {
  return cells(table, key).map((v) => (typeof v === 'number' ? v : 0));
}

/** A column as the text the table and the CSV show. */
export function texts(table: ReportTable, key: string, locale: Locale): string[] {
  const { column, index } = columnOf(table, key);
  return table.rows.map((row) => cellText(column, row[index] ?? null, locale));
}

/** One value as the text its column shows: a chart's label of a cell, same as the table's. */
export function valueText(
  table: ReportTable,
  key: string,
  value: CellValue,
  locale: Locale,
): string {
  return cellText(columnOf(table, key).column, value, locale);
}

/** The distinct values of a text or date column, in the order they first appear. */
export function distinct(table: ReportTable, key: string): string[] {
  return [...new Set(cells(table, key).map(String))];
}
