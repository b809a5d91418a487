import { useState } from 'react';
import { localInstant, money } from '../../../core/messages/format';
import type { StoreId } from '../../../core/ids';
import type {
  PairingCodeResponse,
  TerminalsQuery,
  TerminalStatus,
} from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useLoad } from '../app/use-load';
import type { T } from '../i18n/strings';

function allowanceText(a: TerminalStatus['allowance'], t: T): string {
  if (!a) return t('noLease');
  return t('allowanceInUse', {
    used: a.usedCount,
    max: a.maxCount,
    usedValue: money(a.usedValueFen),
    maxValue: money(a.maxValueFen),
    until: localInstant(a.expiresAt),
  });
}

/**
 * A store's tills: when each was last heard from, the offline allowance it holds and what it has
 * drawn, the offline redemptions it pushed. A manager issues a pairing code for a new till,
 * unlocks PIN sign-in, and revokes a till: its token is refused from the next request on.
 */
export function TerminalsPanel({ storeId }: { readonly storeId: string | null }) {
  const t = useT();
  const failureText = useFailureText();
  const [after, setAfter] = useState<string | null>(null);
  const query: TerminalsQuery = {
    limit: 200,
    ...(storeId ? { storeId: storeId as StoreId } : {}),
    ...(after ? { after } : {}),
  };
  const [loaded, reload] = useLoad(JSON.stringify(query), () => api.call('terminals', { query }));
  const [revoking, setRevoking] = useState<TerminalStatus | null>(null);
  const [code, setCode] = useState<PairingCodeResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    if (!revoking) return;
    const r = await api.call('unpairTerminal', { params: { id: revoking.id }, body: {} });
    if (!r.ok) return setError(failureText(r));
    setRevoking(null);
    setError(null);
    reload();
  }
  async function unlock(id: TerminalStatus['id']) {
    const r = await api.call('unlockPin', { params: { id }, body: {} });
    if (!r.ok) return setError(failureText(r));
    setError(null);
    reload();
  }
  async function issueCode() {
    if (!storeId) return;
    const r = await api.call('createPairingCode', { body: { storeId: storeId as StoreId } });
    if (!r.ok) return setError(failureText(r));
    setError(null);
    setCode(r.value);
  }

  return (
    <section className="card" data-testid="terminals">
      <div className="title-row">
        <h2>{t('terminalsTitle')}</h2>
        <button
          className="primary"
          disabled={!storeId}
          title={storeId ? undefined : t('pickStoreFirst')}
          onClick={() => void issueCode()}
        >
          {t('issuePairingCode')}
        </button>
      </div>
      {code && (
        <p className="notice ok pairing-code" role="status">
          {t('pairingCodeIs', { store: code.storeId, until: localInstant(code.expiresAt) })}{' '}
          <code data-testid="pairing-code">{code.code}</code>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('colTill')}</th>
                <th>{t('lastSeen')}</th>
                <th>{t('allowanceColumn')}</th>
                <th className="num">{t('queuedColumn')}</th>
                <th>{t('statusColumn')}</th>
                <th>{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.value.terminals.map((d) => (
                <tr key={d.id} data-terminal={d.id}>
                  <td>
                    <div>{d.name}</div>
                    <div className="id">
                      {d.id} · {d.storeId}
                    </div>
                    <div className="sub">{t('pairedAt', { at: localInstant(d.pairedAt) })}</div>
                  </td>
                  <td>{d.lastSeenAt ? localInstant(d.lastSeenAt) : t('neverSeen')}</td>
                  <td className="sub">{allowanceText(d.allowance, t)}</td>
                  <td className="num">
                    {d.queuedRedemptions}
                    {d.conflicts > 0 && (
                      <div className="sub warn">{t('conflictsCount', { n: d.conflicts })}</div>
                    )}
                  </td>
                  <td>
                    {d.revokedAt ? (
                      <span className="badge revoked">
                        {t('revokedAt', { at: localInstant(d.revokedAt) })}
                      </span>
                    ) : d.pinLocked ? (
                      <span className="badge paused">{t('pinLocked')}</span>
                    ) : (
                      <span className="badge active">{t('paired')}</span>
                    )}
                  </td>
                  <td className="actions">
                    {!d.revokedAt && d.pinLocked && (
                      <button className="link" onClick={() => void unlock(d.id)}>
                        {t('unlockPin')}
                      </button>
                    )}
                    {!d.revokedAt && (
                      <button className="link danger" onClick={() => setRevoking(d)}>
                        {t('revokeTill')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {loaded.value.terminals.length === 0 && <p className="empty">{t('noTerminals')}</p>}
          <div className="pager">
            {after && <button onClick={() => setAfter(null)}>{t('firstPage')}</button>}
            {loaded.value.next && (
              <button onClick={() => setAfter(loaded.value.next)}>{t('nextPage')}</button>
            )}
          </div>
        </>
      )}
      {revoking && (
        <div className="dialog" role="dialog" aria-label={t('revokeTill')}>
          <h2>
            {t('revokeTill')}: {revoking.name}
          </h2>
          <p className="warn">{t('revokeTillWarn')}</p>
          <div className="buttons">
            <button className="primary danger" onClick={() => void revoke()}>
              {t('confirm')}
            </button>
            <button onClick={() => setRevoking(null)}>{t('cancel')}</button>
          </div>
        </div>
      )}
    </section>
  );
}
