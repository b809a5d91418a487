import { useMemo } from 'react';
import type { BatchId } from '../../../core/ids';
import type { BatchReport } from '../../../core/protocol/index';
import { api, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { useLoad } from '../app/use-load';
import { Chart } from './Chart';
import {
  cycleOption,
  funnelOption,
  hoursOption,
  rankingOption,
  RANKING_CHART_LIMIT,
} from './chart-options';
import { reportQuery, type ReportFilters } from './filters';
import { texts } from './report-table';
import { TableCard } from './TableCard';
import { NotLoaded } from '../app/NotLoaded';

interface ViewProps {
  readonly filters: ReportFilters;
  readonly storeName: (id: string) => string;
}

/** Per batch: the funnel with its two rates, the cycle histogram, the stores, the hours. */
export function BatchReportView(props: ViewProps) {
  const t = useT();
  if (props.filters.batchId === null) return <p className="empty">{t('repChooseBatch')}</p>;
  return <OneBatch {...props} batchId={props.filters.batchId} />;
}

function OneBatch({ filters, storeName, batchId }: ViewProps & { readonly batchId: BatchId }) {
  const query = reportQuery(filters);
  const [loaded, reload] = useLoad(JSON.stringify(query), () =>
    api.call('batchReport', { params: { id: batchId }, query }),
  );
  if (loaded.state !== 'ready') return <NotLoaded loaded={loaded} reload={reload} />;
  return <BatchFigures report={loaded.value} filters={filters} storeName={storeName} />;
}

function BatchFigures({
  report,
  filters,
  storeName,
}: ViewProps & { readonly report: BatchReport }) {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const options = useMemo(
    () => ({
      funnel: funnelOption(report.funnel, t, locale),
      cycle: cycleOption(report.cycle, t, locale),
      ranking: rankingOption(report.ranking, t, locale, storeName),
      hours: hoursOption(report.hours, t, locale),
    }),
    [report, t, locale, storeName],
  );
  const f = (key: string) => texts(report.funnel, key, locale)[0] ?? '';
  const band = report.conversionBand;
  const kpis: { key: string; label: string; value: string; badge?: string; tone?: string }[] = [
    { key: 'views', label: t('repViews'), value: f('views') },
    { key: 'claims', label: t('repClaims'), value: f('claims') },
    { key: 'redemptions', label: t('repRedemptions'), value: f('redemptions') },
    {
      key: 'claimConversion',
      label: t('repConversion'),
      value: f('claimConversion') || '—',
      badge: band ? t(`repBand_${band}`) : t('repBand_none'),
      tone: band ?? 'none',
    },
    { key: 'redemptionRate', label: t('repRedemptionRate'), value: f('redemptionRate') || '—' },
    { key: 'discountFen', label: t('repDiscount'), value: `¥${f('discountFen')}` },
    { key: 'voucherSales', label: t('repVoucherSales'), value: f('voucherSales') },
    { key: 'voucherSalesFen', label: t('repVoucherSalesTotal'), value: `¥${f('voucherSalesFen')}` },
  ];
  const common = { filters, storeName };
  const rankingHeight = Math.max(120, Math.min(report.ranking.rows.length, 20) * 30 + 40);
  return (
    <>
      <dl className="kpis" data-testid="kpis">
        {kpis.map((k) => (
          <div key={k.key} className="kpi" data-kpi={k.key}>
            <dt>{k.label}</dt>
            <dd>
              <span className="kpi-value">{k.value}</span>
              {k.badge && <span className={`band ${k.tone ?? ''}`}>{k.badge}</span>}
            </dd>
          </div>
        ))}
      </dl>
      <div className="report-columns">
        <TableCard
          {...common}
          title={t('repFunnel')}
          help={t('repFunnelHelp')}
          table={report.funnel}
          csv="funnel"
          testId="funnel"
          chart={<Chart option={options.funnel} height={220} testId="funnel-chart" />}
        />
        <TableCard
          {...common}
          title={t('repCycle')}
          help={t('repCycleHelp')}
          table={report.cycle}
          csv="cycle"
          testId="cycle"
          chart={<Chart option={options.cycle} height={240} testId="cycle-chart" />}
        />
      </div>
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
            <Chart option={options.ranking} height={rankingHeight} testId="ranking-chart" />
          ) : undefined
        }
      />
      <TableCard
        {...common}
        title={t('repHours')}
        help={t('repHoursHelp')}
        table={report.hours}
        csv="hours"
        testId="hours"
        folded
        compact
        chart={<Chart option={options.hours} height={240} testId="hours-chart" />}
      />
    </>
  );
}
