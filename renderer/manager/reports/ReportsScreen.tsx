import { useCallback } from 'react';
import { NavLink, useParams } from 'react-router';
import { api, useT } from '../app/api';
import { storeNamer, useStores } from '../app/stores';
import { useLoad } from '../app/use-load';
import { BatchReportView } from './BatchReportView';
import type { HeatMetric } from './chart-options';
import { FilterBar } from './FilterBar';
import { HoursView } from './HoursView';
import { SalesView } from './SalesView';
import { StoreDayView } from './StoreDayView';
import { useReportFilters } from './use-filters';

const VIEWS = ['batch', 'stores', 'sales', 'hours'] as const;
type View = (typeof VIEWS)[number];
const TAB_KEY = {
  batch: 'repTabBatch',
  stores: 'repTabStores',
  sales: 'repTabSales',
  hours: 'repTabHours',
} as const;

/**
 * The report screens (/reports/:view), loaded on demand with the chart library: the filters in
 * the URL carry over from one report to the next, so a link reproduces the view.
 */
export function ReportsScreen() {
  const t = useT();
  const { view: asked } = useParams();
  const view: View = VIEWS.find((v) => v === asked) ?? 'batch';
  const { filters, params, set } = useReportFilters();
  const [storesLoaded] = useStores();
  const stores = storesLoaded.state === 'ready' ? storesLoaded.value : null;
  const [batchesLoaded] = useLoad('report batches', () =>
    api.call('batches', { query: { limit: 200 } }),
  );
  const batches = batchesLoaded.state === 'ready' ? batchesLoaded.value : null;
  // One namer per stores answer: the chart options are memoised on it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const storeName = useCallback(storeNamer(stores), [stores]);
  const metric: HeatMetric = params.get('metric') === 'discountFen' ? 'discountFen' : 'redemptions';
  const search = params.toString();

  return (
    <section className="reports">
      <div className="title-row">
        <h1>{t('repTitle')}</h1>
      </div>
      <nav className="tabs" aria-label={t('repTitle')}>
        {VIEWS.map((v) => (
          <NavLink
            key={v}
            to={{ pathname: `/reports/${v}`, search }}
            className={v === view ? 'active' : ''}
          >
            {t(TAB_KEY[v])}
          </NavLink>
        ))}
      </nav>
      <FilterBar
        filters={filters}
        set={set}
        stores={stores}
        batches={batches}
        batchChoice={view === 'batch' ? 'required' : view === 'sales' ? 'none' : 'optional'}
      />
      {view === 'batch' && <BatchReportView filters={filters} storeName={storeName} />}
      {view === 'stores' && (
        <StoreDayView
          filters={filters}
          storeName={storeName}
          metric={metric}
          setMetric={(m) => set('metric', m === 'redemptions' ? '' : m)}
        />
      )}
      {view === 'sales' && <SalesView filters={filters} storeName={storeName} />}
      {view === 'hours' && <HoursView filters={filters} storeName={storeName} />}
    </section>
  );
}
