import { useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { MemberTier, type ClientId } from '../../../core/ids';
import { localInstant } from '../../../core/messages/format';
import type { MemberDetail } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import { useLoad } from '../app/use-load';
import { MemberHistory, type HistoryKind } from './MemberHistory';
import { tierChoices, tierText } from './tiers';

const HISTORIES: readonly HistoryKind[] = ['claims', 'redemptions', 'sales'];

/**
 * One member: the full phone for a chain manager (masked for a store manager), the tier change
 * (a chain manager's, on the version shown: a change made meanwhile is refused, reload) and the
 * claims, redemptions and sales.
 */
export function MemberPanel({
  id,
  onClose,
  onChanged,
}: {
  readonly id: string;
  readonly onClose: () => void;
  readonly onChanged: () => void;
}) {
  const t = useT();
  const chain = useIsChainManager();
  const failureText = useFailureText();
  const [loaded, reload] = useLoad(id, () => api.call('member', { params: { id } }));
  const [tier, setTier] = useState('');
  const [requestId, setRequestId] = useState(() => uuidv7() as ClientId);
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [history, setHistory] = useState<HistoryKind>('sales');

  async function changeTier(m: MemberDetail) {
    const parsed = MemberTier.safeParse(tier.trim());
    if (!parsed.success) return setError({ text: t('memberBadTier'), stale: false });
    const r = await api.call('setMemberTier', {
      params: { id: m.id },
      body: { tier: parsed.data, version: m.version, requestId },
    });
    if (!r.ok)
      return setError({
        text:
          r.code === 'VERSION_CONFLICT'
            ? `${t('memberTierConflict')} (${failureText(r)})`
            : failureText(r),
        stale: r.code === 'VERSION_CONFLICT',
      });
    setError(null);
    setTier('');
    setRequestId(uuidv7() as ClientId);
    setDone(
      t('memberTierSaved', {
        name: r.value.name,
        tier: tierText(r.value.tier, t),
        v: r.value.version,
      }),
    );
    reload();
    onChanged();
  }

  return (
    <section
      className="card member-panel"
      data-testid="member-panel"
      aria-label={t('memberDetailTitle', { name: id })}
    >
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && (
        <>
          <div className="title-row">
            <h2>{t('memberDetailTitle', { name: loaded.value.name })}</h2>
            <button type="button" onClick={onClose}>
              {t('memberClose')}
            </button>
          </div>
          <dl className="facts">
            <dt>{t('memberCard')}</dt>
            <dd className="id">{loaded.value.card}</dd>
            <dt>{t('memberPhone')}</dt>
            <dd data-testid="member-phone">
              {loaded.value.phone ?? t('memberPhoneHidden', { masked: loaded.value.phoneMasked })}
            </dd>
            <dt>{t('tier')}</dt>
            <dd>
              <span className="badge active">{tierText(loaded.value.tier, t)}</span>
            </dd>
            <dt>{t('memberUpdated')}</dt>
            <dd className="sub">
              {t('memberVersion', {
                v: loaded.value.version,
                by: loaded.value.updatedBy ?? '—',
                at: localInstant(loaded.value.updatedAt),
              })}
              {' · '}
              {t('memberSince', { at: localInstant(loaded.value.createdAt) })}
            </dd>
          </dl>
          {done && (
            <p className="notice ok" role="status">
              {done}
            </p>
          )}
          {chain && (
            <form
              className="row"
              aria-label={t('memberChangeTier')}
              onSubmit={(e) => {
                e.preventDefault();
                void changeTier(loaded.value);
              }}
            >
              <label className="field">
                <span className="label">{t('memberNewTier')}</span>
                <select
                  name="member-new-tier"
                  value={tier}
                  onChange={(e) => setTier(e.target.value)}
                >
                  <option value="" disabled>
                    {t('memberNewTier')}
                  </option>
                  {tierChoices([loaded.value.tier])
                    .filter((x) => x !== loaded.value.tier)
                    .map((x) => (
                      <option key={x} value={x}>
                        {tierText(x, t)}
                      </option>
                    ))}
                </select>
              </label>
              <button className="primary" type="submit" disabled={tier === ''}>
                {t('memberChangeTier')}
              </button>
            </form>
          )}
          {error && (
            <div className="error" role="alert">
              {error.text}{' '}
              {error.stale && (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    setError(null);
                    reload();
                  }}
                >
                  {t('memberReload')}
                </button>
              )}
            </div>
          )}
          <div className="tabs" role="tablist">
            {HISTORIES.map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={history === k}
                className={history === k ? 'active' : undefined}
                onClick={() => setHistory(k)}
              >
                {t(
                  k === 'claims'
                    ? 'memberClaims'
                    : k === 'redemptions'
                      ? 'memberRedemptions'
                      : 'memberSales',
                )}
              </button>
            ))}
          </div>
          <MemberHistory kind={history} memberId={loaded.value.id} />
        </>
      )}
    </section>
  );
}
