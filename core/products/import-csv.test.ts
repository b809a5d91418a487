import { describe, expect, it } from 'vitest';
import { parseProductsCsv } from './import-csv';

describe('parseProductsCsv', () => {
  it('reads a spreadsheet file: BOM, header, CRLF, quoted cells, several barcodes, blank lines', () => {
    const parsed = parseProductsCsv(
      '\uFEFFSKU,Name,Barcode,Category,Price\r\n"latte-l",大杯拿铁,6901234567892|69012347,coffee,"¥32.50"\r\n\r\nwater,矿泉水,,drinks,2\r\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        row: 2,
        product: {
          sku: 'latte-l',
          name: '大杯拿铁',
          category: 'coffee',
          priceFen: 3250,
          barcodes: ['6901234567892', '69012347'],
        },
      },
      {
        row: 4,
        product: { sku: 'water', name: '矿泉水', category: 'drinks', priceFen: 200, barcodes: [] },
      },
    ]);
  });

  it('names every bad cell of every row by its line', () => {
    const parsed = parseProductsCsv('bad sku,x,,c,1\nok,,123,c,1.005\nok2,y,,,-1\n');
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors.map((e) => [e.row, e.problem])).toEqual([
      [1, 'bad_sku'],
      [2, 'bad_name'],
      [2, 'bad_barcode'],
      [2, 'bad_price'],
      [3, 'bad_category'],
      [3, 'bad_price'],
    ]);
  });

  it('refuses an empty file', () => {
    expect(parseProductsCsv('sku,name,barcode,category,price\n').errors).toEqual([
      { row: 0, problem: 'no_rows', value: '' },
    ]);
  });
});
