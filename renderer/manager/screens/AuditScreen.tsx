import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { localInstant } from '../../../core/messages/format';
import type { AuditEntry, AuditVerdict } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import { useStores } from '../app/stores';
import { useLoad } from '../app/use-load';
import { AuditFilterBar } from '../audit/AuditFilterBar';
import {
  auditQuery,
  parseAuditFilters,
  withAuditFilters,
  type AuditFilterName,
} from '../audit/filters';

/**
 * The audit log filtered by actor, kind, store and days (the filters live in the URL), the
 * next page on demand, and the hash-chain check (chain managers).
 */
export function AuditScreen() {
  const t = useT();
  const chain = useIsChainManager();
  const failureText = useFailureText();
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const filters = useMemo(() => parseAuditFilters(params), [key]);
  const filterQuery = auditQuery(filters);
  const [stores] = useStores();
  // The pages loaded after the first, for the filters they were loaded under.
  const [extra, setExtra] = useState<{
    key: string;
    entries: AuditEntry[];
    next: number | null;
  } | null>(null);
  const [loaded] = useLoad(`audit?${key}`, () =>
    api.call('audit', { query: { ...filterQuery, after: 0, limit: 200 } }),
  );
  const set = (changes: Partial<Record<AuditFilterName, string>>) =>
    setParams(withAuditFilters(params, changes));
  const ownExtra = extra?.key === key ? extra : null;
  const [verdict, setVerdict] = useState<AuditVerdict | string | null>(null);
  const [verifying, setVerifying] = useState(false);

  const entries =
    loaded.state === 'ready' ? [...loaded.value.entries, ...(ownExtra?.entries ?? [])] : [];
  const next = ownExtra ? ownExtra.next : loaded.state === 'ready' ? loaded.value.next : null;
  const actions = [...new Set(entries.map((e) => e.action))].sort();

  async function more() {
    if (next === null) return;
    const r = await api.call('audit', { query: { ...filterQuery, after: next, limit: 200 } });
    if (r.ok)
      setExtra({
        key,
        entries: [...(ownExtra?.entries ?? []), ...r.value.entries],
        next: r.value.next,
      });
  }
  async function verify() {
    setVerifying(true);
    const r = await api.call('verifyAudit', {});
    setVerifying(false);
    setVerdict(r.ok ? r.value : failureText(r));
  }

  return (
    <section>
      <div className="title-row">
        <h1>{t('auditTitle')}</h1>
        {chain && (
          <button className="primary" disabled={verifying} onClick={() => void verify()}>
            {verifying ? t('verifying') : t('verifyChain')}
          </button>
        )}
      </div>
      {verdict !== null && (
        <p
          className={typeof verdict === 'string' || !verdict.ok ? 'notice error' : 'notice ok'}
          role="status"
          data-testid="verdict"
        >
          {typeof verdict === 'string'
            ? verdict
            : verdict.ok
              ? t('chainOk', { n: verdict.checked })
              : t('chainBroken', {
                  seq: verdict.firstBroken?.seq ?? '?',
                  problem: verdict.firstBroken?.problem ?? '',
                })}
          {typeof verdict !== 'string' && verdict.since !== undefined && (
            // A flex item of its own beside the verdict (.notice is a flex row).
            <span data-testid="verdict-since">{t('chainSince', { seq: verdict.since })}</span>
          )}
        </p>
      )}
      <AuditFilterBar
        filters={filters}
        set={set}
        stores={stores.state === 'ready' ? stores.value : null}
        actions={actions}
      />
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && <p className="error">{loaded.message}</p>}
      {loaded.state === 'ready' && entries.length === 0 && (
        <p className="empty">
          {Object.keys(filterQuery).length > 0 ? t('auditNoMatch') : t('noEntries')}
        </p>
      )}
      {entries.length > 0 && (
        <table className="grid audit">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>{t('at')}</th>
              <th>{t('actor')}</th>
              <th>{t('store')}</th>
              <th>{t('action')}</th>
              <th>{t('subject')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td className="num">{e.seq}</td>
                <td>{localInstant(e.at)}</td>
                <td>
                  {e.actor !== null ? (
                    <button
                      type="button"
                      className="link"
                      title={t('auditOnlyThis')}
                      onClick={() => set({ actor: e.actor ?? '' })}
                    >
                      {e.actor}
                    </button>
                  ) : (
                    (e.terminalId ?? '')
                  )}
                </td>
                <td>{e.storeId ?? ''}</td>
                <td className="id">
                  <button
                    type="button"
                    className="link"
                    title={t('auditOnlyThis')}
                    onClick={() => set({ action: e.action })}
                  >
                    {e.action}
                  </button>
                </td>
                <td className="id">{e.subject}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null && <button onClick={() => void more()}>{t('more')}</button>}
    </section>
  );
}
