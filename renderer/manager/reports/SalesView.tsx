import { api, useT } from '../app/api';
import { salesOption } from './chart-options';
import { reportQuery, type ReportFilters } from './filters';
import { OneTableView } from './OneTableView';

/** Sales per store per day per tender, with that day's refunds. */
export function SalesView(props: {
  readonly filters: ReportFilters;
  readonly storeName: (id: string) => string;
}) {
  const t = useT();
  const query = reportQuery(props.filters);
  return (
    <OneTableView
      {...props}
      loadKey={`sales ${JSON.stringify(query)}`}
      load={async () => {
        const r = await api.call('salesReport', { query });
        return r.ok ? { ok: true, value: r.value.tenders } : r;
      }}
      build={salesOption}
      title={t('repSales')}
      help={t('repSalesHelp')}
      csv="tenders"
      testId="tenders"
      height={300}
    />
  );
}
