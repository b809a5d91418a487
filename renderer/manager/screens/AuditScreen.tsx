import { useState } from 'react';
import { localInstant } from '../../../core/messages/format';
import type { AuditEntry, AuditVerdict } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import { useLoad } from '../app/use-load';

/** The audit log, newest page on demand, and the hash-chain check (chain managers). */
export function AuditScreen() {
  const t = useT();
  const chain = useIsChainManager();
  const failureText = useFailureText();
  const [extra, setExtra] = useState<{ entries: AuditEntry[]; next: number | null } | null>(null);
  const [loaded] = useLoad('audit', () => api.call('audit', { query: { after: 0, limit: 200 } }));
  const [verdict, setVerdict] = useState<AuditVerdict | string | null>(null);
  const [verifying, setVerifying] = useState(false);

  const entries =
    loaded.state === 'ready' ? [...loaded.value.entries, ...(extra?.entries ?? [])] : [];
  const next = extra ? extra.next : loaded.state === 'ready' ? loaded.value.next : null;

  async function more() {
    if (next === null) return;
    const r = await api.call('audit', { query: { after: next, limit: 200 } });
    if (r.ok)
      setExtra({ entries: [...(extra?.entries ?? []), ...r.value.entries], next: r.value.next });
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
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && <p className="error">{loaded.message}</p>}
      {loaded.state === 'ready' && entries.length === 0 && (
        <p className="empty">{t('noEntries')}</p>
      )}
      {entries.length > 0 && (
        <table className="grid">
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
                <td>{e.actor ?? e.terminalId ?? ''}</td>
                <td>{e.storeId ?? ''}</td>
                <td className="id">{e.action}</td>
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
