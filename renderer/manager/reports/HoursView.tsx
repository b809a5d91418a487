import { api, useT } from '../app/api';
import { hoursOption } from './chart-options';
import { reportQuery, type ReportFilters } from './filters';
import { OneTableView } from './OneTableView';

/** Claims and redemptions by store-local hour (the evening effect shows here). */
export function HoursView(props: {
  readonly filters: ReportFilters;
  readonly storeName: (id: string) => string;
}) {
  const t = useT();
  const query = reportQuery(props.filters);
  return (
    <OneTableView
      {...props}
      loadKey={`hours ${JSON.stringify(query)}`}
      load={async () => {
        const r = await api.call('hoursReport', { query });
        return r.ok ? { ok: true, value: r.value.hours } : r;
      }}
      build={hoursOption}
      title={t('repHours')}
      help={t('repHoursHelp')}
      csv="hours"
      testId="hours"
      height={300}
      compact
    />
  );
}
