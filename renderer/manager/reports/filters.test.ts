import { describe, expect, it } from 'vitest';
import { csvPath, parseReportFilters, reportQuery, withFilter } from './filters';

const TODAY = '2026-12-03';
const parse = (query: string) => parseReportFilters(new URLSearchParams(query), TODAY);

describe('report filters in the URL', () => {
  it('defaults to the last 30 days, today included, every store and batch', () => {
    expect(parse('')).toEqual({ from: '2026-11-04', to: TODAY, storeId: null, batchId: null });
  });

  it('reads what a link holds', () => {
    expect(parse('from=2026-02-01&to=2026-02-28&store=sh-001&batch=demo-cash')).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      storeId: 'sh-001',
      batchId: 'demo-cash',
    });
  });

  it('counts the default 30 days back from the end asked for, across a month and a year', () => {
    expect(parse('to=2026-03-01')).toMatchObject({ from: '2026-01-31', to: '2026-03-01' });
    expect(parse('to=2025-01-10')).toMatchObject({ from: '2024-12-12' });
  });

  it('falls back to the default for dates that do not exist or are not dates', () => {
    expect(parse('from=2026-02-30&to=2026-13-01')).toMatchObject({ from: '2026-11-04', to: TODAY });
    expect(parse('from=yesterday&to=2026-12-3')).toMatchObject({ from: '2026-11-04', to: TODAY });
  });

  it('turns a reversed range the right way round', () => {
    expect(parse('from=2026-06-30&to=2026-06-01')).toMatchObject({
      from: '2026-06-01',
      to: '2026-06-30',
    });
  });

  it('cuts a range longer than a year at its start, keeping its end (366 days at most)', () => {
    expect(parse('from=2020-01-01&to=2026-12-03')).toMatchObject({
      from: '2025-12-03',
      to: '2026-12-03',
    });
    // A leap year's 366 days fit whole.
    expect(parse('from=2024-01-01&to=2024-12-31')).toMatchObject({ from: '2024-01-01' });
  });

  it('ignores ids that are not ids rather than sending them', () => {
    expect(parse('store=<script>&batch=a b')).toMatchObject({ storeId: null, batchId: null });
    expect(parse(`batch=${'x'.repeat(65)}`)).toMatchObject({ batchId: null });
  });

  it('changes one filter and keeps the others; an empty value removes it', () => {
    const params = new URLSearchParams('from=2026-12-01&batch=demo-cash&metric=discountFen');
    expect(withFilter(params, 'store', 'gz-001').toString()).toBe(
      'from=2026-12-01&batch=demo-cash&metric=discountFen&store=gz-001',
    );
    expect(withFilter(params, 'batch', '').toString()).toBe('from=2026-12-01&metric=discountFen');
    // The original is not changed (it is react-router's).
    expect(params.get('batch')).toBe('demo-cash');
  });

  it('a parsed URL written back parses to the same filters (a link reproduces the view)', () => {
    const f = parse('from=2026-10-01&to=2026-10-31&store=hz-001&batch=demo-cash');
    let params = new URLSearchParams();
    params = withFilter(params, 'from', f.from);
    params = withFilter(params, 'to', f.to);
    params = withFilter(params, 'store', f.storeId ?? '');
    params = withFilter(params, 'batch', f.batchId ?? '');
    expect(parseReportFilters(params, '2030-01-01')).toEqual(f);
  });

  it('gives the report routes and the CSV route the same filters', () => {
    const f = parse('from=2026-12-01&to=2026-12-03&batch=demo-cash');
    expect(reportQuery(f)).toEqual({ from: '2026-12-01', to: '2026-12-03', batchId: 'demo-cash' });
    expect(csvPath('funnel', f, 'en')).toBe(
      '/v1/manager/reports/csv/funnel?from=2026-12-01&to=2026-12-03&batchId=demo-cash&locale=en',
    );
    const withStore = parse('from=2026-12-01&to=2026-12-03&store=sh-001');
    expect(csvPath('heatmap', withStore, 'zh-CN')).toBe(
      '/v1/manager/reports/csv/heatmap?from=2026-12-01&to=2026-12-03&storeId=sh-001&locale=zh-CN',
    );
  });
});
