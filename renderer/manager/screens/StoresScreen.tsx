import { useState } from 'react';
import { money } from '../../../core/messages/format';
import type { StoreRow } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import { useStores } from '../app/stores';

/**
 * Stores grouped by region. A chain manager creates and renames regions, creates stores, moves
 * a store to another region and sets its time zone; each change is a whole upsert (a retry
 * writes the same thing again), audited by the server.
 */
export function StoresScreen() {
  const t = useT();
  const chain = useIsChainManager();
  const failureText = useFailureText();
  const [loaded, reload] = useStores();
  const [error, setError] = useState<string | null>(null);
  const [group, setGroup] = useState({ id: '', name: '' });
  const [store, setStore] = useState({ id: '', name: '', timeZone: 'Asia/Shanghai', groupId: '' });

  async function run(
    p: Promise<{ ok: boolean } & ({ ok: true } | Parameters<typeof failureText>[0])>,
  ) {
    const r = await p;
    if (!r.ok) return setError(failureText(r as Parameters<typeof failureText>[0]));
    setError(null);
    reload();
  }
  const saveStore = (s: StoreRow, patch: Partial<StoreRow>) =>
    void run(api.call('upsertStore', { body: { ...s, ...patch } }));

  if (loaded.state !== 'ready')
    return <p>{loaded.state === 'failed' ? loaded.message : t('loading')}</p>;
  const { stores, groups } = loaded.value;
  const regions = [
    ...groups.map((g) => ({ id: g.id as string | null, name: g.name })),
    { id: null, name: t('noGroup') },
  ];
  return (
    <section>
      <h1>{t('storesTitle')}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {regions.map((r) => {
        const members = stores.filter((s) =>
          r.id === null ? s.groupIds.length === 0 : s.groupIds.includes(r.id as never),
        );
        if (r.id === null && members.length === 0) return null;
        return (
          <div className="card region-card" key={r.id ?? '-'} data-region={r.id ?? ''}>
            <div className="title-row">
              <h2>
                {r.name} <span className="id">{r.id}</span>
              </h2>
              {chain && r.id !== null && (
                <button
                  className="link"
                  onClick={() => {
                    const name = window.prompt(t('groupName'), r.name);
                    if (name)
                      void run(api.call('upsertStoreGroup', { body: { id: r.id as never, name } }));
                  }}
                >
                  {t('rename')}
                </button>
              )}
            </div>
            <table className="grid">
              <thead>
                <tr>
                  <th>{t('storeName')}</th>
                  <th>{t('storeId')}</th>
                  <th>{t('timeZone')}</th>
                  <th>{t('group')}</th>
                </tr>
              </thead>
              <tbody>
                {members.map((s) => (
                  <tr key={s.id} data-store={s.id}>
                    <td>
                      <div>{s.name}</div>
                      <div className="sub">
                        {t('offline', {
                          count: s.offline.maxCount,
                          value: money(s.offline.maxValueFen),
                          hours: s.offline.hours,
                        })}
                      </div>
                    </td>
                    <td className="id">{s.id}</td>
                    <td>
                      {chain ? (
                        <input
                          defaultValue={s.timeZone}
                          aria-label={`${t('timeZone')} ${s.id}`}
                          onBlur={(e) =>
                            e.target.value !== s.timeZone &&
                            saveStore(s, { timeZone: e.target.value.trim() })
                          }
                        />
                      ) : (
                        s.timeZone
                      )}
                    </td>
                    <td>
                      {chain ? (
                        <select
                          aria-label={`${t('moveTo')} ${s.id}`}
                          value={s.groupIds[0] ?? ''}
                          onChange={(e) =>
                            saveStore(s, {
                              groupIds: e.target.value ? [e.target.value as never] : [],
                            })
                          }
                        >
                          <option value="">{t('noGroup')}</option>
                          {groups.map((g) => (
                            <option key={g.id} value={g.id}>
                              {g.name}
                            </option>
                          ))}
                        </select>
                      ) : (
                        s.groupIds.join(', ')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
      {chain && (
        <div className="row forms">
          <form
            className="card"
            onSubmit={(e) => {
              e.preventDefault();
              void run(
                api.call('upsertStoreGroup', { body: { id: group.id as never, name: group.name } }),
              );
            }}
          >
            <h2>{t('newGroup')}</h2>
            <label className="field">
              <span className="label">{t('groupId')}</span>
              <input
                value={group.id}
                onChange={(e) => setGroup({ ...group, id: e.target.value.trim() })}
                required
              />
            </label>
            <label className="field">
              <span className="label">{t('groupName')}</span>
              <input
                value={group.name}
                onChange={(e) => setGroup({ ...group, name: e.target.value })}
                required
              />
            </label>
            <button className="primary" type="submit">
              {t('save')}
            </button>
          </form>
          <form
            className="card"
            onSubmit={(e) => {
              e.preventDefault();
              void run(
                api.call('upsertStore', {
                  body: {
                    id: store.id as never,
                    name: store.name,
                    timeZone: store.timeZone,
                    groupIds: store.groupId ? [store.groupId as never] : [],
                  },
                }),
              );
            }}
          >
            <h2>{t('newStore')}</h2>
            <label className="field">
              <span className="label">{t('storeId')}</span>
              <input
                value={store.id}
                onChange={(e) => setStore({ ...store, id: e.target.value.trim() })}
                required
              />
            </label>
            <label className="field">
              <span className="label">{t('storeName')}</span>
              <input
                value={store.name}
                onChange={(e) => setStore({ ...store, name: e.target.value })}
                required
              />
            </label>
            <label className="field">
              <span className="label">{t('timeZone')}</span>
              <input
                value={store.timeZone}
                onChange={(e) => setStore({ ...store, timeZone: e.target.value.trim() })}
                required
              />
            </label>
            <label className="field">
              <span className="label">{t('group')}</span>
              <select
                value={store.groupId}
                onChange={(e) => setStore({ ...store, groupId: e.target.value })}
              >
                <option value="">{t('noGroup')}</option>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            </label>
            <button className="primary" type="submit">
              {t('save')}
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
