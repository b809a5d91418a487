import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { describeBenefit } from '../../../core/messages';
import type { BatchesQuery, BatchRow, BatchStateChange } from '../../../core/protocol/index';
import type { BatchState, VoucherKind } from '../../../core/vouchers';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession, useIsChainManager } from '../app/session';
import { groupNamer, storeNamer, useStores } from '../app/stores';
import { useLoad } from '../app/use-load';
import { storesText, validityText } from '../batch/batch-text';

const STATES: readonly BatchState[] = ['active', 'paused', 'expired', 'revoked'];
const KINDS: readonly VoucherKind[] = [
  'cash',
  'threshold',
  'discount',
  'gift',
  'group_buy',
  'general',
];
type SortKey = 'name' | 'state' | 'redeemed';

/**
 * The batch list: filters and the page cursor in the URL; sorting by a column sorts the page
 * shown. A chain manager pauses, resumes and revokes here, with a reason for the audit log.
 */
export function BatchesScreen() {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const chain = useIsChainManager();
  const failureText = useFailureText();
  const [params, setParams] = useSearchParams();
  const [storesLoaded] = useStores();
  const storesPage = storesLoaded.state === 'ready' ? storesLoaded.value : null;
  const names = { store: storeNamer(storesPage), group: groupNamer(storesPage) };
  const [sort, setSort] = useState<SortKey>('name');
  const [acting, setActing] = useState<{ row: BatchRow; state: BatchStateChange['state'] } | null>(
    null,
  );
  const [reason, setReason] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);

  const query: BatchesQuery = {
    limit: 50,
    ...(params.get('state') ? { state: params.get('state') as BatchState } : {}),
    ...(params.get('kind') ? { kind: params.get('kind') as VoucherKind } : {}),
    ...(params.get('q') ? { q: params.get('q') ?? '' } : {}),
    ...(params.get('store') ? { storeId: params.get('store') as BatchesQuery['storeId'] } : {}),
    ...(params.get('after') ? { after: params.get('after') ?? '' } : {}),
  };
  const [loaded, reload] = useLoad(JSON.stringify(query), () => api.call('batches', { query }));

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    if (name !== 'after') next.delete('after');
    setParams(next);
  };

  const rows = useMemo(() => {
    if (loaded.state !== 'ready') return [];
    const list = [...loaded.value.batches];
    const by: Record<SortKey, (a: BatchRow, b: BatchRow) => number> = {
      name: (a, b) => a.batch.name.localeCompare(b.batch.name, locale),
      state: (a, b) => a.batch.state.localeCompare(b.batch.state),
      redeemed: (a, b) => b.redeemed - a.redeemed,
    };
    return list.sort(by[sort]);
  }, [loaded, sort, locale]);

  async function act() {
    if (!acting) return;
    const r = await api.call('setBatchState', {
      params: { id: acting.row.batch.id },
      body: { state: acting.state, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    if (!r.ok) return setActionError(failureText(r));
    setActing(null);
    setReason('');
    reload();
  }

  return (
    <section>
      <div className="title-row">
        <h1>{t('batchesTitle')}</h1>
        {chain && (
          <Link className="button primary" to="/batches/new">
            {t('newBatch')}
          </Link>
        )}
      </div>
      {!chain && <p className="help">{t('readOnly')}</p>}
      <div className="filters">
        <input
          type="search"
          aria-label={t('search')}
          placeholder={t('search')}
          defaultValue={params.get('q') ?? ''}
          onKeyDown={(e) => {
            if (e.key === 'Enter') set('q', e.currentTarget.value.trim());
          }}
        />
        <select
          aria-label={t('colState')}
          value={params.get('state') ?? ''}
          onChange={(e) => set('state', e.target.value)}
        >
          <option value="">{t('allStates')}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(`state_${s}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('colKind')}
          value={params.get('kind') ?? ''}
          onChange={(e) => set('kind', e.target.value)}
        >
          <option value="">{t('allKinds')}</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind_${k}`)}
            </option>
          ))}
        </select>
        {chain && (
          <select
            aria-label={t('colStores')}
            value={params.get('store') ?? ''}
            onChange={(e) => set('store', e.target.value)}
          >
            <option value="">{t('allStores')}</option>
            {storesPage?.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </div>
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.message} <button onClick={reload}>{t('retry')}</button>
        </p>
      )}
      {loaded.state === 'ready' && (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>
                  <button className="sort" onClick={() => setSort('name')}>
                    {t('colName')}
                    {sort === 'name' ? ' ▾' : ''}
                  </button>
                </th>
                <th>{t('colKind')}</th>
                <th>
                  <button className="sort" onClick={() => setSort('state')}>
                    {t('colState')}
                    {sort === 'state' ? ' ▾' : ''}
                  </button>
                </th>
                <th>{t('colValidity')}</th>
                <th>{t('colStores')}</th>
                <th className="num">
                  <button className="sort" onClick={() => setSort('redeemed')}>
                    {t('colRedeemed')}
                    {sort === 'redeemed' ? ' ▾' : ''}
                  </button>
                </th>
                <th>{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.batch.id} data-batch={row.batch.id}>
                  <td>
                    <div>{row.batch.name}</div>
                    <div className="id">{row.batch.id}</div>
                  </td>
                  <td>
                    <div>{t(`kind_${row.batch.benefit.kind}`)}</div>
                    <div className="sub">{describeBenefit(row.batch.benefit, locale)}</div>
                  </td>
                  <td>
                    <span className={`badge ${row.batch.state}`}>
                      {t(`state_${row.batch.state}`)}
                    </span>
                  </td>
                  <td>
                    <div>{validityText(row.batch, t)}</div>
                    <div className="sub">
                      {t(row.batch.returnOnRefund ? 'returnedOnRefund' : 'keptOnRefund')}
                    </div>
                  </td>
                  <td className="stores-cell">{storesText(row.batch, t, locale, names)}</td>
                  <td className="num">
                    {row.redeemed} / {row.issued}
                  </td>
                  <td className="actions">
                    <Link to={`/batches/${row.batch.id}`}>{chain ? t('edit') : t('view')}</Link>
                    {chain && row.batch.state === 'active' && (
                      <button className="link" onClick={() => setActing({ row, state: 'paused' })}>
                        {t('pause')}
                      </button>
                    )}
                    {chain && row.batch.state === 'paused' && (
                      <button className="link" onClick={() => setActing({ row, state: 'active' })}>
                        {t('resume')}
                      </button>
                    )}
                    {chain && row.batch.state !== 'revoked' && (
                      <button
                        className="link danger"
                        onClick={() => setActing({ row, state: 'revoked' })}
                      >
                        {t('revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && <p className="empty">{t('noBatches')}</p>}
          <div className="pager">
            {params.get('after') && (
              <button onClick={() => set('after', '')}>{t('firstPage')}</button>
            )}
            {loaded.value.next && (
              <button onClick={() => set('after', loaded.value.next ?? '')}>{t('nextPage')}</button>
            )}
          </div>
        </>
      )}
      {acting && (
        <div
          className="dialog"
          role="dialog"
          aria-label={t(
            acting.state === 'active' ? 'resume' : acting.state === 'paused' ? 'pause' : 'revoke',
          )}
        >
          <h2>
            {t(
              acting.state === 'active' ? 'resume' : acting.state === 'paused' ? 'pause' : 'revoke',
            )}
            : {acting.row.batch.name}
          </h2>
          {acting.state === 'revoked' && <p className="warn">{t('revokeFinal')}</p>}
          <label>
            {t('reasonPrompt')}
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          </label>
          {actionError && <p className="error">{actionError}</p>}
          <div className="buttons">
            <button className="primary" onClick={() => void act()}>
              {t('confirm')}
            </button>
            <button onClick={() => setActing(null)}>{t('cancel')}</button>
          </div>
        </div>
      )}
    </section>
  );
}
