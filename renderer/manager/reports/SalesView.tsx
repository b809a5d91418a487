import { useCallback } from 'react';
import type { Locale } from '../../../core/messages/format';
import { dateRange } from '../../../core/reports/days';
import { api, useT } from '../app/api';
import type { T } from '../i18n/strings';
import { salesOption } from './chart-options';
import { reportQuery, type ReportFilters } from './filters';
import { OneTableView } from './OneTableView';
import type { ReportTable } from './report-table';

/** Sales per store per day per tender, with that day's refunds. */
export function SalesView(props: {
  readonly filters: ReportFilters;
  readonly storeName: (id: string) => string;
}) {
  const t = useT();
  const query = reportQuery(props.filters);
  const { from, to } = props.filters;
  const build = useCallback(
    (table: ReportTable, words: T, locale: Locale) =>
      salesOption(table, words, locale, dateRange(from, to)),
    [from, to],
  );
  return (
    <OneTableView
      {...props}
      loadKey={`sales ${JSON.stringify(query)}`}
      load={async () => {
        const r = await api.call('salesReport', { query });
        return r.ok ? { ok: true, value: r.value.tenders } : r;
      }}
      build={build}
      title={t('repSales')}
      help={t('repSalesHelp')}
      csv="tenders"
      testId="tenders"
      height={300}
    />
  );
}
