import type { EChartsCoreOption } from 'echarts/core';
import type { Locale } from '../../../core/messages/format';
import type { T } from '../i18n/strings';
import { cells, distinct, numbers, texts, valueText, type ReportTable } from './report-table';

/**
 * ECharts options built from report tables, pure (no chart library at run time: the types
 * only), so a test can check that what is drawn is the table's rows. Every bar and cell has a
 * direct label in the same words as the table, colours are the Okabe–Ito set (distinct for the
 * common colour-blindnesses) and each band also has its own decal pattern, for print in black
 * and white.
 */

export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];

const BAND_COLOR = { healthy: '#009E73', middle: '#E69F00', warning: '#D55E00' } as const;

/** One pattern per band: diagonal lines, dots, cross-hatch. */
const BAND_DECAL = {
  healthy: {
    symbol: 'rect',
    dashArrayX: [1, 0],
    dashArrayY: [2, 6],
    rotation: Math.PI / 4,
    color: 'rgba(255,255,255,0.55)',
  },
  middle: {
    symbol: 'circle',
    symbolSize: 0.7,
    dashArrayX: [[4, 4]],
    dashArrayY: [4, 4],
    color: 'rgba(255,255,255,0.6)',
  },
  warning: {
    symbol: 'rect',
    dashArrayX: [[1, 3]],
    dashArrayY: [1, 3],
    color: 'rgba(0,0,0,0.35)',
  },
} as const;

type Band = keyof typeof BAND_COLOR;
const isBand = (v: unknown): v is Band => v === 'healthy' || v === 'middle' || v === 'warning';

/** What every chart shares: no animation (print and screenshots show the final picture). */
const base = (): EChartsCoreOption => ({
  animation: false,
  color: PALETTE,
  aria: { enabled: true, decal: { show: true } },
  textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
});

const yuanAxis = (locale: Locale, table: ReportTable, key: string) => ({
  type: 'value',
  axisLabel: { formatter: (v: number) => valueText(table, key, v, locale) },
});

/** Views → claims → redemptions of the funnel table's one row. */
export function funnelOption(table: ReportTable, t: T, locale: Locale): EChartsCoreOption {
  const steps = [
    { key: 'views', name: t('repViews') },
    { key: 'claims', name: t('repClaims') },
    { key: 'redemptions', name: t('repRedemptions') },
  ];
  const values = steps.map((s) => numbers(table, s.key)[0] ?? 0);
  const rates = [
    '',
    texts(table, 'claimConversion', locale)[0] ?? '',
    texts(table, 'redemptionRate', locale)[0] ?? '',
  ];
  const rateNames = ['', t('repConversion'), t('repRedemptionRate')];
  const labels = steps.map((s, i) =>
    i === 0 || rates[i] === ''
      ? t('repFunnelStep', { name: s.name, n: values[i] ?? 0 })
      : t('repFunnelStepRate', {
          name: s.name,
          n: values[i] ?? 0,
          rate: rateNames[i] ?? '',
          value: rates[i] ?? '',
        }),
  );
  return {
    ...base(),
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'funnel',
        name: t('repFunnel'),
        sort: 'none',
        left: '6%',
        width: '50%',
        top: 10,
        bottom: 10,
        minSize: '12%',
        gap: 3,
        label: {
          show: true,
          position: 'right',
          color: '#1d2430',
          fontSize: 13,
          formatter: (p: { dataIndex: number }) => labels[p.dataIndex] ?? '',
        },
        labelLine: { show: true, length: 16 },
        data: steps.map((s, i) => ({
          name: s.name,
          value: values[i],
          itemStyle: { color: PALETTE[i] },
        })),
      },
    ],
  };
}

/** 核销周期 histogram: bars by bucket, coloured and patterned by band, with the band areas. */
export function cycleOption(table: ReportTable, t: T, locale: Locale): EChartsCoreOption {
  const buckets = texts(table, 'bucket', locale);
  const counts = numbers(table, 'redemptions');
  const shares = texts(table, 'share', locale);
  const bands = cells(table, 'band');
  const labels = counts.map((n, i) => (shares[i] ? `${n} · ${shares[i]}` : String(n)));
  const last = buckets.length - 1;
  return {
    ...base(),
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 20, top: 40, bottom: 32 },
    // Every bucket named (none skipped for room), long names broken onto two lines.
    xAxis: {
      type: 'category',
      data: buckets,
      axisLabel: { interval: 0, width: 70, overflow: 'break' },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('repRedemptions'),
        barMaxWidth: 56,
        data: counts.map((n, i) => {
          const band = bands[i];
          return isBand(band)
            ? { value: n, itemStyle: { color: BAND_COLOR[band], decal: BAND_DECAL[band] } }
            : { value: n };
        }),
        label: {
          show: true,
          position: 'top',
          color: '#1d2430',
          formatter: (p: { dataIndex: number }) => labels[p.dataIndex] ?? '',
        },
        markArea: {
          silent: true,
          label: { position: 'insideTop', color: '#1d2430', fontSize: 12, lineHeight: 16 },
          data: [
            [
              {
                name: t('repCycleHealthy'),
                xAxis: buckets[0],
                itemStyle: { color: 'rgba(0,158,115,0.10)' },
              },
              { xAxis: buckets[Math.min(3, last)] },
            ],
            [
              {
                name: t('repCycleWarning'),
                xAxis: buckets[last],
                itemStyle: { color: 'rgba(213,94,0,0.10)' },
              },
              { xAxis: buckets[last] },
            ],
          ],
        },
      },
    ],
  };
}

/** The ranks a ranking chart draws; the table under it lists every store. */
export const RANKING_CHART_LIMIT = 20;

/** A ranking table's stores as horizontal bars of redemptions (the first `limit` ranks). */
export function rankingOption(
  table: ReportTable,
  t: T,
  locale: Locale,
  storeName: (id: string) => string,
  limit = RANKING_CHART_LIMIT,
): EChartsCoreOption {
  const ids = texts(table, 'storeId', locale).slice(0, limit);
  const counts = numbers(table, 'redemptions').slice(0, limit);
  const discounts = cells(table, 'discountFen').slice(0, limit);
  const labels = counts.map(
    (n, i) => `${n} · ¥${valueText(table, 'discountFen', discounts[i] ?? 0, locale)}`,
  );
  return {
    ...base(),
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 110, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: ids.map(storeName) },
    series: [
      {
        type: 'bar',
        name: t('repRedemptions'),
        barMaxWidth: 22,
        data: counts,
        label: {
          show: true,
          position: 'right',
          color: '#1d2430',
          formatter: (p: { dataIndex: number }) => labels[p.dataIndex] ?? '',
        },
      },
    ],
  };
}

export type HeatMetric = 'redemptions' | 'discountFen';

/** Store × day heatmap of one metric; labels in the cells while they fit. */
export function heatmapOption(
  table: ReportTable,
  metric: HeatMetric,
  t: T,
  locale: Locale,
  storeName: (id: string) => string,
): EChartsCoreOption {
  const stores = distinct(table, 'storeId');
  const dates = distinct(table, 'date');
  const storeAt = new Map(stores.map((s, i) => [s, i]));
  const dateAt = new Map(dates.map((d, i) => [d, i]));
  const rowStores = cells(table, 'storeId').map(String);
  const rowDates = cells(table, 'date').map(String);
  const values = numbers(table, metric);
  const labels = texts(table, metric, locale);
  const max = Math.max(1, ...values);
  const data = values.map((v, i) => ({
    value: [dateAt.get(rowDates[i] ?? '') ?? 0, storeAt.get(rowStores[i] ?? '') ?? 0, v],
    // Light text on the dark half of the scale, dark text on the light half, zeros faint.
    label: { color: v > max / 2 ? '#fff' : v === 0 ? '#8a93a2' : '#1d2430' },
  }));
  return {
    ...base(),
    // The cells' own lightness and labels carry the values: no decal over them.
    aria: { enabled: true, decal: { show: false } },
    tooltip: {
      position: 'top',
      formatter: (p: { dataIndex: number }) =>
        `${storeName(rowStores[p.dataIndex] ?? '')} ${rowDates[p.dataIndex] ?? ''}: ${labels[p.dataIndex] ?? ''}`,
    },
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    xAxis: {
      type: 'category',
      data: dates.map((d) => d.slice(5)),
      splitArea: { show: true },
      axisLabel: { hideOverlap: true },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: stores.map(storeName),
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemHeight: 160,
      // One hue light to dark: ordered for every colour vision and in greyscale.
      inRange: { color: ['#f7fbff', '#9ecae1', '#2171b5', '#08306b'] },
      text: [valueText(table, metric, max, locale), '0'],
      formatter: (v: number) => valueText(table, metric, Math.round(v), locale),
    },
    series: [
      {
        type: 'heatmap',
        name: metric === 'redemptions' ? t('repRedemptions') : t('repDiscount'),
        data,
        label: {
          show: data.length <= 31 * 12,
          fontSize: 11,
          formatter: (p: { dataIndex: number }) => labels[p.dataIndex] ?? '',
        },
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
      },
    ],
  };
}

/**
 * Sales per day: one stacked bar per tender (amounts summed over the stores shown), and the
 * day's refunds beside them. `range` is every date of the filters, so a day without sales
 * shows as a gap; without it, the dates the table holds.
 */
export function salesOption(
  table: ReportTable,
  t: T,
  locale: Locale,
  range?: readonly string[],
): EChartsCoreOption {
  const dates = range ? [...range] : [...new Set(cells(table, 'date').map(String))].sort();
  // A label on every bar while two weeks fit (wider than the bar beyond that); over longer
  // ranges the axis, the tooltip and the table under the chart tell the amounts.
  const labelled = dates.length <= 14;
  const tenders = distinct(table, 'tender');
  const tenderTexts = new Map(
    cells(table, 'tender').map((v) => [String(v), valueText(table, 'tender', v, locale)]),
  );
  const rowDates = cells(table, 'date').map(String);
  const rowTenders = cells(table, 'tender').map(String);
  const amounts = numbers(table, 'amountFen');
  const refunds = numbers(table, 'refundFen');
  const sum = (pick: (i: number) => boolean, of: number[]) =>
    of.reduce((s, v, i) => (pick(i) ? s + v : s), 0);
  const yuan = (v: number) => (v === 0 ? '' : valueText(table, 'amountFen', v, locale));
  const series = tenders.map((tender) => ({
    type: 'bar',
    stack: 'sales',
    name: tenderTexts.get(tender) ?? tender,
    barMaxWidth: 48,
    data: dates.map((d) => sum((i) => rowDates[i] === d && rowTenders[i] === tender, amounts)),
    label: { show: labelled, formatter: (p: { value: number }) => yuan(p.value) },
  }));
  return {
    ...base(),
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 24, containLabel: true },
    xAxis: { type: 'category', data: dates, axisLabel: { hideOverlap: true } },
    yAxis: yuanAxis(locale, table, 'amountFen'),
    series: [
      ...series,
      {
        type: 'bar',
        stack: 'refunds',
        name: t('repRefunds'),
        barMaxWidth: 48,
        itemStyle: { color: '#D55E00' },
        data: dates.map((d) => sum((i) => rowDates[i] === d, refunds)),
        label: {
          show: labelled,
          position: 'top',
          formatter: (p: { value: number }) => yuan(p.value),
        },
      },
    ],
  };
}

/** Claims and redemptions by hour of day, with the evening hours marked. */
export function hoursOption(table: ReportTable, t: T, locale: Locale): EChartsCoreOption {
  const hours = texts(table, 'hour', locale).map((h) => t('repHourLabel', { h }));
  const label = {
    show: true,
    position: 'top',
    fontSize: 11,
    formatter: (p: { value: number }) => (p.value === 0 ? '' : String(p.value)),
  };
  return {
    ...base(),
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 24, containLabel: true },
    xAxis: { type: 'category', data: hours },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('repClaims'),
        data: numbers(table, 'claims'),
        label,
        markArea: {
          silent: true,
          label: { position: 'insideTop', color: '#1d2430' },
          itemStyle: { color: 'rgba(204,121,167,0.10)' },
          data: [[{ name: t('repEvening'), xAxis: hours[18] }, { xAxis: hours[23] }]],
        },
      },
      { type: 'bar', name: t('repRedemptions'), data: numbers(table, 'redemptions'), label },
    ],
  };
}
