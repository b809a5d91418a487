import { cutCell as cut, importLines, MAX_IMPORT_ROWS } from '../import-rows';
import { parseYuan } from '../money';
import { Barcode, Product } from '../protocol/catalog';
import type { ProductRowError, ProductRowProblem } from '../protocol/staff';

export interface ProductImportRow {
  readonly row: number;
  readonly product: Product;
}

export interface ParsedProducts {
  readonly rows: readonly ProductImportRow[];
  readonly errors: readonly ProductRowError[];
}

/** The columns, in order; the header line, when there is one, starts with `sku`. */
export const PRODUCT_CSV_COLUMNS = ['sku', 'name', 'barcode', 'category', 'price'] as const;

/** Several barcodes of one product share its cell, split by `|` or spaces. */
function barcodesOf(cell: string): string[] {
  return cell.split(/[|\s]+/).filter((b) => b !== '');
}

/**
 * Reads a products file: lines `sku,name,barcode,category,price` with the price in yuan (12.50),
 * the barcode cell empty or holding EAN-8 / UPC-A / EAN-13 digits. Every bad cell of every row is
 * reported with its line number, and a SKU twice in the file is an error: which line should win
 * is the manager's call, not the importer's.
 */
export function parseProductsCsv(text: string): ParsedProducts {
  const rows: ProductImportRow[] = [];
  const errors: ProductRowError[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells, text: line } of importLines(text, 'sku')) {
    if (cells.length !== PRODUCT_CSV_COLUMNS.length) {
      errors.push({ row, problem: 'wrong_column_count', value: cut(line) });
      continue;
    }
    const [sku = '', name = '', barcode = '', category = '', price = ''] = cells;
    const bad: [ProductRowProblem, string][] = [];
    const parsedSku = Product.shape.sku.safeParse(sku);
    if (!parsedSku.success) bad.push(['bad_sku', sku]);
    if (!Product.shape.name.safeParse(name).success) bad.push(['bad_name', name]);
    const barcodes = barcodesOf(barcode);
    const wrongBarcode = barcodes.find((b) => !Barcode.safeParse(b).success);
    if (wrongBarcode !== undefined || barcodes.length > 20) bad.push(['bad_barcode', barcode]);
    if (!Product.shape.category.safeParse(category).success) bad.push(['bad_category', category]);
    const priceFen = parseYuan(price);
    if (!priceFen.ok) bad.push(['bad_price', price]);
    for (const [problem, value] of bad) errors.push({ row, problem, value: cut(value) });
    if (bad.length > 0 || !priceFen.ok || !parsedSku.success) continue;
    const first = seen.get(parsedSku.data);
    if (first !== undefined) {
      errors.push({ row, problem: 'repeated_in_file', value: sku, firstRow: first });
      continue;
    }
    seen.set(parsedSku.data, row);
    rows.push({
      row,
      product: Product.parse({ sku, name, category, priceFen: priceFen.value, barcodes }),
    });
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: 0, problem: 'no_rows', value: '' });
  if (rows.length > MAX_IMPORT_ROWS)
    errors.push({ row: 0, problem: 'too_many_rows', value: String(rows.length) });
  return { rows, errors };
}
