import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type { Locale } from '../../../core/messages/format';
import type { ReportCsvTable } from '../../../core/protocol/index';
import type { ApiResult } from '../../data/api-client';
import { useT } from '../app/api';
import type { T } from '../i18n/strings';
import { useConsoleSession } from '../app/session';
import { useLoad } from '../app/use-load';
import { Chart } from './Chart';
import type { ReportFilters } from './filters';
import type { ReportTable } from './report-table';
import { TableCard } from './TableCard';
import { NotLoaded } from '../app/NotLoaded';

/** A report of one table: loaded with the filters, drawn by `build`, listed with its CSV. */
export function OneTableView(props: {
  readonly filters: ReportFilters;
  readonly storeName: (id: string) => string;
  readonly loadKey: string;
  readonly load: () => Promise<ApiResult<ReportTable>>;
  readonly build: (table: ReportTable, t: T, locale: Locale) => EChartsCoreOption;
  readonly title: string;
  readonly help: string;
  readonly csv: ReportCsvTable;
  readonly testId: string;
  readonly height: number;
  readonly compact?: boolean;
}) {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const [loaded, reload] = useLoad(props.loadKey, props.load);
  const table = loaded.state === 'ready' ? loaded.value : null;
  const { build } = props;
  const option = useMemo(() => (table ? build(table, t, locale) : null), [table, build, t, locale]);
  if (loaded.state !== 'ready') return <NotLoaded loaded={loaded} reload={reload} />;
  return (
    <TableCard
      filters={props.filters}
      storeName={props.storeName}
      title={props.title}
      help={props.help}
      table={loaded.value}
      csv={props.csv}
      testId={props.testId}
      compact={props.compact ?? false}
      chart={
        option && loaded.value.rows.length > 0 ? (
          <Chart option={option} height={props.height} testId={`${props.testId}-chart`} />
        ) : undefined
      }
    />
  );
}
