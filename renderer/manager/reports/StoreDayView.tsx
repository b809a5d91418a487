import { useMemo } from 'react';
import type { StoreDayReport } from '../../../core/protocol/index';
import { api, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { useLoad } from '../app/use-load';
import { Chart } from './Chart';
import {
  heatmapOption,
  rankingOption,
  RANKING_CHART_LIMIT,
  type HeatMetric,
} from './chart-options';
import { reportQuery, type ReportFilters } from './filters';
import { distinct } from './report-table';
import { TableCard } from './TableCard';
import { NotLoaded } from '../app/NotLoaded';

/** More cells than SVG draws briskly (500 stores × 90 days is 45,000). */
const BIG_HEATMAP = 5_000;

/** Per store per day: the store × day heatmap of one figure, and the stores ranked. */
export function StoreDayView(props: {
  readonly filters: ReportFilters;
  readonly storeName: (id: string) => string;
  readonly metric: HeatMetric;
  readonly setMetric: (metric: HeatMetric) => void;
}) {
  const query = reportQuery(props.filters);
  const [loaded, reload] = useLoad(JSON.stringify(query), () =>
    api.call('storeDayReport', { query }),
  );
  if (loaded.state !== 'ready') return <NotLoaded loaded={loaded} reload={reload} />;
  return <StoreDayFigures {...props} report={loaded.value} />;
}

function StoreDayFigures(props: {
  readonly report: StoreDayReport;
  readonly filters: ReportFilters;
  readonly storeName: (id: string) => string;
  readonly metric: HeatMetric;
  readonly setMetric: (metric: HeatMetric) => void;
}) {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const { report, metric, storeName } = props;
  const options = useMemo(
    () => ({
      heatmap: heatmapOption(report.heatmap, metric, t, locale, storeName),
      ranking: rankingOption(report.ranking, t, locale, storeName),
    }),
    [report, metric, t, locale, storeName],
  );
  const stores = distinct(report.heatmap, 'storeId').length;
  // A chain's hundreds of stores get thin rows (their names still on the axis, as room allows).
  const rowHeight = stores > 40 ? 14 : 30;
  const cells = report.heatmap.rows.length;
  const common = { filters: props.filters, storeName };
  return (
    <>
      <TableCard
        {...common}
        title={t('repHeatmap')}
        table={report.heatmap}
        csv="heatmap"
        testId="heatmap"
        folded
        chart={
          <>
            <div className="metric-switch" role="radiogroup" aria-label={t('repMetric')}>
              {(['redemptions', 'discountFen'] as const).map((m) => (
                <label key={m}>
                  <input
                    type="radio"
                    name="metric"
                    checked={metric === m}
                    onChange={() => props.setMetric(m)}
                  />
                  {m === 'redemptions' ? t('repRedemptions') : t('repDiscount')}
                </label>
              ))}
            </div>
            <Chart
              option={options.heatmap}
              height={Math.max(180, stores * rowHeight + 110)}
              renderer={cells > BIG_HEATMAP ? 'canvas' : 'svg'}
              testId="heatmap-chart"
            />
          </>
        }
      />
      <TableCard
        {...common}
        title={t('repRanking')}
        help={
          report.ranking.rows.length > RANKING_CHART_LIMIT
            ? t('repTopN', { n: RANKING_CHART_LIMIT })
            : undefined
        }
        table={report.ranking}
        csv="ranking"
        testId="ranking"
        chart={
          report.ranking.rows.length > 0 ? (
            <Chart
              option={options.ranking}
              height={Math.max(120, Math.min(report.ranking.rows.length, 20) * 30 + 40)}
              testId="ranking-chart"
            />
          ) : undefined
        }
      />
    </>
  );
}
