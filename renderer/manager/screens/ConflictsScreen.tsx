import { useState } from 'react';
import { reasonMessage } from '../../../core/messages';
import { localInstant, money } from '../../../core/messages/format';
import type { ConflictResolution, ConflictView } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { storeNamer, useStores } from '../app/stores';
import { useLoad } from '../app/use-load';

/** The review queue of offline double uses and overruns; a store manager sees their store's. */
export function ConflictsScreen() {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const failureText = useFailureText();
  const [state, setState] = useState<'open' | 'resolved'>('open');
  const [stores] = useStores();
  const storeName = storeNamer(stores.state === 'ready' ? stores.value : null);
  const [loaded, reload] = useLoad(`conflicts:${state}`, () =>
    api.call('conflicts', { query: { state, limit: 100 } }),
  );
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<Readonly<Record<string, string>>>({});

  async function resolve(c: ConflictView, resolution: ConflictResolution) {
    const r = await api.call('resolveConflict', {
      params: { id: c.redemptionId },
      body: { resolution },
    });
    if (!r.ok) return setError(failureText(r));
    setError(null);
    reload();
  }

  return (
    <section>
      <h1>{t('conflictsTitle')}</h1>
      <p className="help">{t('conflictsHelp')}</p>
      <div className="filters">
        <select
          aria-label={t('colState')}
          value={state}
          onChange={(e) => setState(e.target.value as 'open' | 'resolved')}
        >
          <option value="open">{t('openOnly')}</option>
          <option value="resolved">{t('resolvedOnly')}</option>
        </select>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && <p className="error">{loaded.message}</p>}
      {loaded.state === 'ready' && loaded.value.conflicts.length === 0 && (
        <p className="empty">{t('noConflicts')}</p>
      )}
      {loaded.state === 'ready' && loaded.value.conflicts.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('code')}</th>
              <th>{t('store')}</th>
              <th>{t('terminal')}</th>
              <th>{t('at')}</th>
              <th className="num">{t('amount')}</th>
              <th>{t('reason')}</th>
              <th>{t('decision')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.value.conflicts.map((c) => (
              <tr key={c.redemptionId}>
                <td className="id">{c.code}</td>
                <td>{storeName(c.storeId)}</td>
                <td>{c.terminalId}</td>
                <td>{localInstant(c.at)}</td>
                <td className="num">{money(c.discountFen)}</td>
                <td>{reasonMessage(c.reason, locale, { storeName })}</td>
                <td className="actions">
                  {c.resolution ? (
                    t('resolvedAs', {
                      how: t(c.resolution),
                      by: c.resolvedBy ?? '',
                      at: c.resolvedAt ? localInstant(c.resolvedAt) : '',
                    })
                  ) : (
                    <>
                      <input
                        aria-label={`${t('note')} ${c.code}`}
                        placeholder={t('note')}
                        value={notes[c.redemptionId] ?? ''}
                        onChange={(e) => setNotes({ ...notes, [c.redemptionId]: e.target.value })}
                        maxLength={500}
                      />
                      <button onClick={() => void resolve(c, 'accept_loss')}>
                        {t('accept_loss')}
                      </button>
                      <button onClick={() => void resolve(c, 'void')}>{t('void')}</button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
