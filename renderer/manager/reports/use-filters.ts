import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { localTime } from '../../../core/time';
import { parseReportFilters, withFilter, type ReportFilters } from './filters';

type FilterName = Parameters<typeof withFilter>[1];

/** The report filters of the page's URL, and a setter that writes one of them back. */
export function useReportFilters(): {
  filters: ReportFilters;
  params: URLSearchParams;
  set: (name: FilterName, value: string) => void;
} {
  const [params, setParams] = useSearchParams();
  // "Today" in the chain's zone (the store-local dates the reports count in).
  const today = localTime(Date.now()).date;
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const filters = useMemo(() => parseReportFilters(params, today), [key, today]);
  return { filters, params, set: (name, value) => setParams(withFilter(params, name, value)) };
}
