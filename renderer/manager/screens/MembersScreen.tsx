import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { MemberTier } from '../../../core/ids';
import { localInstant } from '../../../core/messages/format';
import type { MemberDetail, MembersQuery } from '../../../core/protocol/index';
import { api, useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import { useLoad } from '../app/use-load';
import { MemberForm } from '../members/MemberForm';
import { MemberImport } from '../members/MemberImport';
import { MemberPanel } from '../members/MemberPanel';
import { tierChoices, tierText } from '../members/tiers';

/**
 * The chain's members: phone search, tier filter, the page cursor and the open member in the
 * URL. Phones are masked in the list. A chain manager adds members, changes tiers and imports a
 * CSV; a store manager reads.
 */
export function MembersScreen() {
  const t = useT();
  const chain = useIsChainManager();
  const [params, setParams] = useSearchParams();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<MemberDetail | null>(null);
  const [phoneError, setPhoneError] = useState(false);
  const phone = params.get('phone');
  const tier = params.get('tier');
  const open = params.get('member');
  const query: MembersQuery = {
    limit: 50,
    ...(phone ? { phone } : {}),
    ...(tier ? { tier: tier as MemberTier } : {}),
    ...(params.get('after') ? { after: params.get('after') ?? '' } : {}),
  };
  const [loaded, reload] = useLoad(JSON.stringify(query), () => api.call('members', { query }));
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    if (name !== 'after' && name !== 'member') next.delete('after');
    setParams(next);
  };
  const search = (typed: string) => {
    const digits = typed.replace(/[\s-]/g, '');
    const ok = digits === '' || /^\d{1,11}$/.test(digits);
    setPhoneError(!ok);
    if (ok) set('phone', digits);
  };
  const seen = loaded.state === 'ready' ? loaded.value.members.map((m) => m.tier) : [];

  return (
    <section>
      <div className="title-row">
        <h1>{t('membersTitle')}</h1>
        {chain && (
          <button
            className="primary"
            onClick={() => {
              setAdded(null);
              setAdding(true);
            }}
          >
            {t('memberAdd')}
          </button>
        )}
      </div>
      {!chain && <p className="help">{t('membersReadOnly')}</p>}
      {adding && (
        <MemberForm
          onCancel={() => setAdding(false)}
          onSaved={(m) => {
            setAdding(false);
            setAdded(m);
            reload();
          }}
        />
      )}
      {added && (
        <p className="notice ok" role="status">
          {t('memberAdded', { name: added.name, card: added.card })}
        </p>
      )}
      <div className="filters">
        <input
          type="search"
          name="member-phone-search"
          inputMode="numeric"
          aria-label={t('memberPhoneSearch')}
          placeholder={t('memberPhoneSearch')}
          title={t('memberPhoneSearchHelp')}
          aria-invalid={phoneError ? true : undefined}
          defaultValue={phone ?? ''}
          onKeyDown={(e) => {
            if (e.key === 'Enter') search(e.currentTarget.value);
          }}
        />
        <select
          name="member-tier-filter"
          aria-label={t('tier')}
          value={tier ?? ''}
          onChange={(e) => set('tier', e.target.value)}
        >
          <option value="">{t('allTiers')}</option>
          {tierChoices([...seen, tier]).map((x) => (
            <option key={x} value={x}>
              {tierText(x, t)}
            </option>
          ))}
        </select>
      </div>
      {phoneError && <p className="field-error">{t('memberPhoneDigits')}</p>}
      {open && (
        <MemberPanel key={open} id={open} onClose={() => set('member', '')} onChanged={reload} />
      )}
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && (
        <>
          <table className="grid" data-testid="members">
            <thead>
              <tr>
                <th>{t('memberName')}</th>
                <th>{t('memberCard')}</th>
                <th>{t('memberPhone')}</th>
                <th>{t('tier')}</th>
                <th>{t('memberUpdated')}</th>
                <th>{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.value.members.map((m) => (
                <tr
                  key={m.id}
                  data-member={m.id}
                  className={m.id === open ? 'selected' : undefined}
                >
                  <td>{m.name}</td>
                  <td className="id">{m.card}</td>
                  <td>{m.phoneMasked}</td>
                  <td>{tierText(m.tier, t)}</td>
                  <td className="sub">{localInstant(m.updatedAt)}</td>
                  <td className="actions">
                    <button className="link" onClick={() => set('member', m.id)}>
                      {t('memberOpen')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {loaded.value.members.length === 0 && <p className="empty">{t('noMembers')}</p>}
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
      {chain && <MemberImport onImported={reload} />}
    </section>
  );
}
