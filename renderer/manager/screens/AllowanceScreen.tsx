import { useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import type { ClientId } from '../../../core/ids';
import { localInstant, money } from '../../../core/messages/format';
import { parseYuan } from '../../../core/money';
import { OfflineSettings, type StoreAllowance } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import { useLoad } from '../app/use-load';

interface Draft {
  readonly count: string;
  readonly value: string;
  readonly hours: string;
}

const draftOf = (a: StoreAllowance): Draft => ({
  count: String(a.offline.maxCount),
  value: (a.offline.maxValueFen / 100).toFixed(2),
  hours: String(a.offline.hours),
});

/** The draft as the core's OfflineSettings, or the first problem in words. */
function settingsOf(
  d: Draft,
): { ok: true; value: OfflineSettings } | { ok: false; message: string } {
  const value = parseYuan(d.value);
  if (!value.ok) return { ok: false, message: value.message };
  const parsed = OfflineSettings.safeParse({
    maxCount: Number(d.count),
    maxValueFen: value.value,
    hours: Number(d.hours),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${String(issue?.path[0] ?? '')}: ${issue?.message ?? ''}` };
  }
  return { ok: true, value: parsed.data };
}

/** One store's row: a chain manager edits the three limits and saves them on this version. */
function AllowanceRow({
  row,
  saved,
  onSaved,
}: {
  readonly row: StoreAllowance;
  /** The note of this row's last save: kept by the screen, as the list reloads after a save. */
  readonly saved: string | null;
  readonly onSaved: (note: string) => void;
}) {
  const t = useT();
  const chain = useIsChainManager();
  const failureText = useFailureText();
  const [draft, setDraft] = useState(() => draftOf(row));
  const [requestId, setRequestId] = useState(() => uuidv7() as ClientId);
  const [message, setMessage] = useState<string | null>(null);
  const changed = JSON.stringify(draft) !== JSON.stringify(draftOf(row));

  async function save() {
    const settings = settingsOf(draft);
    if (!settings.ok) return setMessage(settings.message);
    const r = await api.call('setAllowance', {
      params: { id: row.storeId },
      body: { offline: settings.value, version: row.version, requestId },
    });
    if (!r.ok)
      return setMessage(
        r.code === 'VERSION_CONFLICT'
          ? `${t('allowanceConflict')} ${failureText(r)}`
          : failureText(r),
      );
    setRequestId(uuidv7() as ClientId);
    setMessage(null);
    onSaved(t('allowanceSaved', { v: r.value.version }));
  }

  const input = (key: keyof Draft, label: string) =>
    chain ? (
      <input
        className="narrow"
        name={`${key}-${row.storeId}`}
        aria-label={`${label} ${row.storeId}`}
        value={draft[key]}
        inputMode="decimal"
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value.trim() })}
      />
    ) : (
      draft[key]
    );

  return (
    <tr data-store={row.storeId}>
      <td>
        <div>{row.storeName}</div>
        <div className="id">{row.storeId}</div>
      </td>
      <td className="num">{input('count', t('allowanceCount'))}</td>
      <td className="num">
        {chain ? input('value', t('allowanceValue')) : money(row.offline.maxValueFen)}
      </td>
      <td className="num">{input('hours', t('allowanceHours'))}</td>
      <td className="sub">
        {t('versionBy', {
          v: row.version,
          by: row.updatedBy ?? '—',
          at: row.updatedAt ? localInstant(row.updatedAt) : '—',
        })}
        {message && (
          <div className="error" role="alert">
            {message}
          </div>
        )}
        {saved && !message && (
          <div className="ok" role="status">
            {saved}
          </div>
        )}
      </td>
      {chain && (
        <td className="actions">
          <button className="primary" disabled={!changed} onClick={() => void save()}>
            {t('save')}
          </button>
        </td>
      )}
    </tr>
  );
}

/**
 * Each store's offline allowance: how many redemptions, how much discount and for how many hours
 * a till may redeem without the server. A change goes out on the change feed and each till of the
 * store renews its lease to take it.
 */
export function AllowanceScreen() {
  const t = useT();
  const chain = useIsChainManager();
  const [after, setAfter] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ storeId: string; note: string } | null>(null);
  const query = { limit: 200, ...(after ? { after } : {}) };
  const [loaded, reload] = useLoad(JSON.stringify(query), () => api.call('allowances', { query }));
  return (
    <section>
      <h1>{t('allowanceTitle')}</h1>
      <p className="help">{t('allowanceHelp')}</p>
      {!chain && <p className="help">{t('allowanceReadOnly')}</p>}
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && (
        <div className="card">
          <table className="grid" data-testid="allowances">
            <thead>
              <tr>
                <th>{t('storeName')}</th>
                <th className="num">{t('allowanceCount')}</th>
                <th className="num">{t('allowanceValue')}</th>
                <th className="num">{t('allowanceHours')}</th>
                <th>{t('lastChange')}</th>
                {chain && <th>{t('colActions')}</th>}
              </tr>
            </thead>
            <tbody>
              {loaded.value.allowances.map((a) => (
                <AllowanceRow
                  key={a.storeId}
                  row={a}
                  saved={saved?.storeId === a.storeId ? saved.note : null}
                  onSaved={(note) => {
                    setSaved({ storeId: a.storeId, note });
                    reload();
                  }}
                />
              ))}
            </tbody>
          </table>
          <div className="pager">
            {after && <button onClick={() => setAfter(null)}>{t('firstPage')}</button>}
            {loaded.value.next && (
              <button onClick={() => setAfter(loaded.value.next)}>{t('nextPage')}</button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
