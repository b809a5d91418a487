import { useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { localInstant } from '../../../core/messages/format';
import type { ClientId, StoreId } from '../../../core/ids';
import type { UserRow, UsersQuery } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { useLoad } from '../app/use-load';

type Acting = { readonly user: UserRow; readonly kind: 'pin' | 'disable' | 'enable' };

const TITLE = { pin: 'resetPin', disable: 'disableUser', enable: 'enableUser' } as const;
const DONE = {
  pin: 'pinResetDone',
  disable: 'userDisabledDone',
  enable: 'userEnabledDone',
} as const;

/**
 * A store's users with their role. A manager resets a cashier's PIN, disables a user or enables
 * them again; each
 * change names the version it was made on and carries its own request id, so a retry is
 * answered with the stored change and a change made meanwhile by someone else is refused.
 */
export function UsersPanel({ storeId }: { readonly storeId: string | null }) {
  const t = useT();
  const failureText = useFailureText();
  const me = useConsoleSession((s) => s.session?.user);
  const [after, setAfter] = useState<string | null>(null);
  const query: UsersQuery = {
    limit: 100,
    ...(storeId ? { storeId: storeId as StoreId } : {}),
    ...(after ? { after } : {}),
  };
  const [loaded, reload] = useLoad(JSON.stringify(query), () => api.call('users', { query }));
  const [acting, setActing] = useState<(Acting & { requestId: ClientId }) | null>(null);
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const start = (a: Acting) => {
    setActing({ ...a, requestId: uuidv7() as ClientId });
    setPin('');
    setReason('');
    setError(null);
    setDone(null);
  };
  async function confirm() {
    if (!acting) return;
    const base = { version: acting.user.version, requestId: acting.requestId };
    const r =
      acting.kind === 'pin'
        ? await api.call('resetPin', { params: { id: acting.user.id }, body: { ...base, pin } })
        : acting.kind === 'enable'
          ? await api.call('enableUser', { params: { id: acting.user.id }, body: base })
          : await api.call('disableUser', {
              params: { id: acting.user.id },
              body: { ...base, ...(reason.trim() ? { reason: reason.trim() } : {}) },
            });
    if (!r.ok) return setError(failureText(r));
    setDone(t(DONE[acting.kind], { name: r.value.name }));
    setActing(null);
    reload();
  }

  return (
    <section className="card" data-testid="users">
      <h2>{t('usersTitle')}</h2>
      {done && (
        <p className="notice ok" role="status">
          {done}
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
                <th>{t('userName')}</th>
                <th>{t('role')}</th>
                <th>{t('colStore')}</th>
                <th>{t('statusColumn')}</th>
                <th>{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.value.users.map((u) => (
                <tr key={u.id} data-user={u.id}>
                  <td>
                    <div>{u.name}</div>
                    <div className="id">
                      {u.id}
                      {u.username ? ` · ${u.username}` : ''}
                    </div>
                  </td>
                  <td>{t(`role_${u.role}`)}</td>
                  <td className="id">{u.storeId ?? t('wholeChain')}</td>
                  <td>
                    {u.disabledAt ? (
                      <span className="badge revoked">
                        {t('userDisabled', { at: localInstant(u.disabledAt) })}
                      </span>
                    ) : (
                      <span className="badge active">{t('userActive')}</span>
                    )}
                  </td>
                  <td className="actions">
                    {!u.disabledAt && u.role === 'cashier' && (
                      <button className="link" onClick={() => start({ user: u, kind: 'pin' })}>
                        {t('resetPin')}
                      </button>
                    )}
                    {!u.disabledAt && u.id !== me?.id && (
                      <button
                        className="link danger"
                        onClick={() => start({ user: u, kind: 'disable' })}
                      >
                        {t('disableUser')}
                      </button>
                    )}
                    {u.disabledAt && u.id !== me?.id && (
                      <button className="link" onClick={() => start({ user: u, kind: 'enable' })}>
                        {t('enableUser')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {loaded.value.users.length === 0 && <p className="empty">{t('noUsers')}</p>}
          <div className="pager">
            {after && <button onClick={() => setAfter(null)}>{t('firstPage')}</button>}
            {loaded.value.next && (
              <button onClick={() => setAfter(loaded.value.next)}>{t('nextPage')}</button>
            )}
          </div>
        </>
      )}
      {acting && (
        <form
          className="dialog"
          role="dialog"
          aria-label={t(TITLE[acting.kind])}
          onSubmit={(e) => {
            e.preventDefault();
            void confirm();
          }}
        >
          <h2>
            {t(TITLE[acting.kind])}: {acting.user.name}
          </h2>
          {acting.kind === 'pin' ? (
            <label>
              {t('newPin')}
              <input
                name="newPin"
                value={pin}
                inputMode="numeric"
                autoComplete="off"
                pattern="\d{4,8}"
                required
                onChange={(e) => setPin(e.target.value.trim())}
              />
              <span className="help">{t('newPinHelp')}</span>
            </label>
          ) : acting.kind === 'enable' ? (
            <p className="help">{t('enableWarn')}</p>
          ) : (
            <>
              <p className="warn">{t('disableWarn')}</p>
              <label>
                {t('reasonPrompt')}
                <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
              </label>
            </>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="buttons">
            <button className="primary" type="submit">
              {t('confirm')}
            </button>
            <button type="button" onClick={() => setActing(null)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
