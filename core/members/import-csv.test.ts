import { describe, expect, it } from 'vitest';
import { phonePrefixRange } from './index';
import { parseMembersCsv } from './import-csv';

describe('parseMembersCsv', () => {
  it('reads a spreadsheet file: BOM, header, CRLF, quoted cells, a phone typed with spaces', () => {
    const parsed = parseMembersCsv(
      '\uFEFFPhone,Name,Tier\r\n"138 0013 9000",赵敏,gold\r\n\r\n13700000001,Li Lei,silver\r\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { row: 2, phone: '13800139000', name: '赵敏', tier: 'gold' },
      { row: 4, phone: '13700000001', name: 'Li Lei', tier: 'silver' },
    ]);
  });

  it('names every bad cell of every row by its line', () => {
    const parsed = parseMembersCsv('1234,赵敏,gold\n13700000001,,gold tier\n13700000002,a\n');
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors.map((e) => [e.row, e.problem])).toEqual([
      [1, 'bad_phone'],
      [2, 'bad_name'],
      [2, 'bad_tier'],
      [3, 'wrong_column_count'],
    ]);
  });

  it('refuses a phone twice in the file, quoting it masked with the first line', () => {
    const parsed = parseMembersCsv('13700000001,a,gold\n137 0000 0001,b,silver\n');
    expect(parsed.errors).toEqual([
      { row: 2, problem: 'repeated_in_file', value: '137****0001', firstRow: 1 },
    ]);
  });

  it('masks a phone in a line with the wrong number of cells', () => {
    const parsed = parseMembersCsv('13700000001,a,gold,extra\n');
    expect(parsed.errors[0]).toMatchObject({
      problem: 'wrong_column_count',
      value: '137****0001,a,gold,extra',
    });
  });

  it('calls an empty file an error', () => {
    expect(parseMembersCsv('phone,name,tier\n').errors).toEqual([
      { row: 0, problem: 'no_rows', value: '' },
    ]);
  });
});

describe('phonePrefixRange', () => {
  it('spans the 11-digit numbers that start with the digits; all 11 digits span one number', () => {
    expect(phonePrefixRange('138')).toEqual({ from: '13800000000', to: '13899999999' });
    expect(phonePrefixRange('13800138000')).toEqual({ from: '13800138000', to: '13800138000' });
  });
});
