import type { BatchesPage, StoresPage } from '../../../core/protocol/index';
import { useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import type { ReportFilters } from './filters';
import type { useReportFilters } from './use-filters';

/**
 * Date range, store and batch: each change goes to the URL (and so into a copied link). A
 * store manager has no store choice; the server holds them to their own store anyway.
 */
export function FilterBar(props: {
  readonly filters: ReportFilters;
  readonly set: ReturnType<typeof useReportFilters>['set'];
  readonly stores: StoresPage | null;
  readonly batches: BatchesPage | null;
  /**
   * The batch report needs one batch, the store-day and hour reports take "every batch" too,
   * sales are not per batch (a sale is counted once, whatever vouchers it carried): no choice
   * there, though the batch stays in the URL for the other reports.
   */
  readonly batchChoice: 'required' | 'optional' | 'none';
}) {
  const t = useT();
  const chain = useIsChainManager();
  const { filters, set } = props;
  const batches = props.batches?.batches ?? [];
  // A batch from a link that the list's first page does not hold is still shown as chosen.
  const unlisted =
    filters.batchId !== null && !batches.some((b) => b.batch.id === filters.batchId)
      ? filters.batchId
      : null;
  return (
    <div className="filters report-filters">
      <label>
        {t('repFrom')}
        <input
          type="date"
          name="from"
          value={filters.from}
          max={filters.to}
          onChange={(e) => set('from', e.target.value)}
        />
      </label>
      <label>
        {t('repTo')}
        <input
          type="date"
          name="to"
          value={filters.to}
          min={filters.from}
          onChange={(e) => set('to', e.target.value)}
        />
      </label>
      {chain ? (
        <label>
          {t('repStore')}
          <select
            name="store"
            value={filters.storeId ?? ''}
            onChange={(e) => set('store', e.target.value)}
          >
            <option value="">{t('repAllStores')}</option>
            {props.stores?.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span className="help">{t('repOwnStore')}</span>
      )}
      {props.batchChoice !== 'none' && (
        <label>
          {t('repBatch')}
          <select
            name="batch"
            value={filters.batchId ?? ''}
            onChange={(e) => set('batch', e.target.value)}
          >
            <option value="">{props.batchChoice === 'required' ? '—' : t('repAllBatches')}</option>
            {batches.map((b) => (
              <option key={b.batch.id} value={b.batch.id}>
                {b.batch.name}
              </option>
            ))}
            {unlisted && <option value={unlisted}>{unlisted}</option>}
          </select>
        </label>
      )}
      <button type="button" className="print-button" onClick={() => window.print()}>
        {t('repPrint')}
      </button>
    </div>
  );
}
