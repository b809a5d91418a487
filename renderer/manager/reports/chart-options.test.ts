import { describe, expect, it } from 'vitest';
import type { BatchId, StoreId } from '../../../core/ids';
import type { Fen } from '../../../core/money';
import {
  type BatchDay,
  type BatchHour,
  type TenderDay,
  ZERO_BATCH_COUNTS,
} from '../../../core/reports/aggregates';
import {
  byHour,
  cycleHistogram,
  funnel,
  salesByTender,
  storeDayHeatmap,
  storeDaysOf,
  storeRanking,
} from '../../../core/reports/figures';
import {
  cycleTable,
  funnelTable,
  heatmapTable,
  hourTable,
  rankingTable,
  tenderTable,
} from '../../../core/reports/table';
import { translator } from '../i18n/strings';
import {
  cycleOption,
  funnelOption,
  heatmapOption,
  hoursOption,
  rankingOption,
  salesOption,
} from './chart-options';
import { texts } from './report-table';

/**
 * What each chart draws, checked against the table it is drawn from: the tables are made by the
 * core's own figure and table functions from hand-made aggregate rows, as the server makes them.
 */

interface Series {
  readonly type: string;
  readonly name: string;
  readonly data: readonly unknown[];
  readonly label: { readonly show: boolean; readonly formatter: (p: object) => string };
  readonly markArea?: { readonly data: readonly (readonly { name?: string }[])[] };
}
const seriesOf = (option: object): Series[] => (option as { series: Series[] }).series;
const labelsOf = (s: Series): string[] =>
  s.data.map((d, dataIndex) => {
    const value = typeof d === 'object' && d !== null && 'value' in d ? d.value : d;
    return s.label.formatter({ dataIndex, value });
  });

const zh = translator('zh-CN');
const en = translator('en');
const batchId = 'b1' as BatchId;
const sh = 'sh-001' as StoreId;
const gz = 'gz-001' as StoreId;

const day = (storeId: StoreId, date: string, counts: Partial<BatchDay>): BatchDay => ({
  batchId,
  storeId,
  date,
  ...ZERO_BATCH_COUNTS,
  ...counts,
});

const counts = {
  ...ZERO_BATCH_COUNTS,
  views: 40,
  claims: 10,
  redemptions: 3,
  discountFen: 3000 as Fen,
  cycle0: 1,
  cycle2: 1,
  cycleOver7: 1,
  voucherSales: 3,
  voucherSalesFen: 16800 as Fen,
};

describe('report charts draw their tables’ rows', () => {
  it('the funnel: views, claims and redemptions, with the two rates as the table prints them', () => {
    const table = funnelTable(funnel(counts));
    const [s] = seriesOf(funnelOption(table, zh, 'zh-CN'));
    expect(s?.data.map((d) => (d as { value: number }).value)).toEqual([40, 10, 3]);
    expect(s && labelsOf(s)).toEqual([
      '浏览 40',
      '领取 10（领取转化率 25.00%）',
      '核销 3（核销率 30.00%）',
    ]);
    const [english] = seriesOf(funnelOption(table, en, 'en'));
    expect(english && labelsOf(english)[1]).toBe('Claims 10 (Claim conversion 25.00%)');
  });

  it('the funnel without views says no rate rather than 0%', () => {
    const table = funnelTable(funnel(ZERO_BATCH_COUNTS));
    const [s] = seriesOf(funnelOption(table, en, 'en'));
    expect(s && labelsOf(s)).toEqual(['Views 0', 'Claims 0', 'Redemptions 0']);
  });

  it('the cycle histogram: one bar per bucket with its count and share, bands coloured and patterned', () => {
    const table = cycleTable(cycleHistogram(counts));
    const option = cycleOption(table, zh, 'zh-CN');
    const [s] = seriesOf(option);
    if (!s) throw new Error('no series');
    const bars = s.data as { value: number; itemStyle: { color: string; decal: object } }[];
    expect(bars.map((b) => b.value)).toEqual([1, 0, 1, 0, 0, 1]);
    expect(labelsOf(s)).toEqual([
      '1 · 33.33%',
      '0 · 0.00%',
      '1 · 33.33%',
      '0 · 0.00%',
      '0 · 0.00%',
      '1 · 33.33%',
    ]);
    // Healthy buckets share one colour and pattern, the warning bucket has others.
    expect(bars[0]?.itemStyle).toEqual(bars[3]?.itemStyle);
    expect(bars[5]?.itemStyle.color).not.toBe(bars[0]?.itemStyle.color);
    expect(bars[5]?.itemStyle.decal).not.toEqual(bars[0]?.itemStyle.decal);
    expect(bars[4]?.itemStyle.decal).not.toEqual(bars[0]?.itemStyle.decal);
    const xAxis = (option as { xAxis: { data: string[] } }).xAxis;
    expect(xAxis.data).toEqual(texts(table, 'bucket', 'zh-CN'));
    // ≤ 3 days (the first four buckets) healthy, > 7 days warning.
    const [healthy, warning] = s.markArea?.data ?? [];
    expect(healthy).toMatchObject([{ name: '≤3 天 健康', xAxis: '当天' }, { xAxis: '3 天' }]);
    expect(warning).toMatchObject([{ xAxis: '7 天以上' }, { xAxis: '7 天以上' }]);
    expect((option as { aria: object }).aria).toEqual({ enabled: true, decal: { show: true } });
  });

  it('the ranking: stores in rank order with redemptions and the discount in yuan', () => {
    const table = rankingTable(
      storeRanking([
        day(gz, '2026-12-01', { redemptions: 1, discountFen: 1000 as Fen }),
        day(sh, '2026-12-01', { redemptions: 2, discountFen: 2000 as Fen }),
        day(sh, '2026-12-02', { redemptions: 1, discountFen: 550 as Fen }),
      ]),
    );
    const names: Record<string, string> = { 'sh-001': '上海店', 'gz-001': '广州店' };
    const option = rankingOption(table, zh, 'zh-CN', (id) => names[id] ?? id);
    const [s] = seriesOf(option);
    expect(s?.data).toEqual([3, 1]);
    expect(s && labelsOf(s)).toEqual(['3 · ¥25.50', '1 · ¥10.00']);
    expect((option as { yAxis: { data: string[] } }).yAxis.data).toEqual(['上海店', '广州店']);
  });

  it('the heatmap: a cell per store and day at its row of the table, labelled as the table prints it', () => {
    const table = heatmapTable(
      storeDayHeatmap(
        storeDaysOf([
          day(sh, '2026-12-01', { redemptions: 4, discountFen: 4000 as Fen }),
          day(gz, '2026-12-02', { redemptions: 1, discountFen: 1050 as Fen }),
        ]),
        [gz, sh],
        '2026-12-01',
        '2026-12-02',
      ),
    );
    for (const metric of ['redemptions', 'discountFen'] as const) {
      const [s] = seriesOf(heatmapOption(table, metric, en, 'en', (id) => id));
      const cells = (s?.data ?? []) as { value: [number, number, number] }[];
      expect(cells.map((c) => c.value[2])).toEqual(
        table.rows.map((r) => r[table.columns.findIndex((c) => c.key === metric)]),
      );
      expect(s && labelsOf(s)).toEqual(texts(table, metric, 'en'));
    }
    const option = heatmapOption(table, 'redemptions', en, 'en', (id) => id);
    const [s] = seriesOf(option);
    // Rows are gz then sh, dates ascending: [date index, store index, value].
    expect((s?.data as { value: number[] }[]).map((c) => c.value)).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [0, 1, 4],
      [1, 1, 0],
    ]);
    expect((option as { xAxis: { data: string[] } }).xAxis.data).toEqual(['12-01', '12-02']);
  });

  it('sales: each tender’s amount per day summed over the stores, and the day’s refunds', () => {
    const line = (
      storeId: StoreId,
      date: string,
      tender: TenderDay['tender'],
      n: Partial<TenderDay>,
    ): TenderDay => ({
      storeId,
      date,
      tender,
      count: 1,
      amountFen: 0 as Fen,
      refunds: 0,
      refundFen: 0 as Fen,
      ...n,
    });
    const table = tenderTable(
      salesByTender([
        line(sh, '2026-12-01', 'cash', { amountFen: 1800 as Fen }),
        line(gz, '2026-12-01', 'cash', {
          amountFen: 2200 as Fen,
          refunds: 1,
          refundFen: 500 as Fen,
        }),
        line(sh, '2026-12-02', 'wechat_native', { amountFen: 3300 as Fen }),
      ]),
    );
    const option = salesOption(table, zh, 'zh-CN');
    const series = seriesOf(option);
    expect(series.map((s) => s.name)).toEqual(['现金', '微信扫码支付', '退款']);
    expect(series.map((s) => s.data)).toEqual([
      [4000, 0],
      [0, 3300],
      [500, 0],
    ]);
    const [cash] = series;
    expect(cash?.label.formatter({ value: 4000 })).toBe('40.00');
    expect(cash?.label.formatter({ value: 0 })).toBe('');
    expect((option as { xAxis: { data: string[] } }).xAxis.data).toEqual([
      '2026-12-01',
      '2026-12-02',
    ]);
  });

  it('sales over the filters’ range: a day without sales is drawn as nothing, not left out', () => {
    const table = tenderTable(
      salesByTender([
        {
          storeId: sh,
          date: '2026-12-03',
          tender: 'cash',
          count: 2,
          amountFen: 5000 as Fen,
          refunds: 0,
          refundFen: 0 as Fen,
        },
      ]),
    );
    const option = salesOption(table, en, 'en', ['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(seriesOf(option).map((s) => s.data)).toEqual([
      [0, 0, 5000],
      [0, 0, 0],
    ]);
    expect((option as { xAxis: { data: string[] } }).xAxis.data).toHaveLength(3);
  });

  it('hours: claims and redemptions for all 24 hours, the evening marked', () => {
    const hour = (h: number, claims: number, redemptions: number): BatchHour =>
      ({ batchId, storeId: sh, date: '2026-12-01', hour: h, claims, redemptions }) as BatchHour;
    const table = hourTable(byHour([hour(19, 5, 2), hour(9, 1, 0), hour(19, 1, 1)]));
    const option = hoursOption(table, en, 'en');
    const [claims, redemptions] = seriesOf(option);
    expect(claims?.data).toHaveLength(24);
    expect(claims?.data[19]).toBe(6);
    expect(claims?.data[9]).toBe(1);
    expect(redemptions?.data[19]).toBe(3);
    expect((option as { xAxis: { data: string[] } }).xAxis.data[18]).toBe('18:00');
    expect(claims?.markArea?.data[0]).toMatchObject([
      { name: 'Evening 18–24 h', xAxis: '18:00' },
      { xAxis: '23:00' },
    ]);
  });
});
