import { useState } from 'react';
import { reasonMessage } from '../../../core/messages';
import { localInstant, money } from '../../../core/messages/format';
import type { VoucherCode } from '../../../core/ids';
import type { CodeDetail } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import type { T } from '../i18n/strings';
import { storeNamer, useStores } from '../app/stores';

const STATUSES = ['accepted', 'rejected', 'conflict', 'returned'] as const;

/** A redemption's stored status in words; one this console does not know yet shows as stored. */
function statusText(status: string, t: T): string {
  const known = STATUSES.find((s) => s === status);
  return known ? t(`redemption_${known}`) : status;
}

/**
 * One code and everything that happened to it: batch, state, claim, each redemption with
 * the receipt it went on, each conflict. The server decides what a store manager may see.
 */
export function CodeLookup() {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const failureText = useFailureText();
  const [stores] = useStores();
  const storeName = storeNamer(stores.state === 'ready' ? stores.value : null);
  const [text, setText] = useState('');
  const [detail, setDetail] = useState<CodeDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function look() {
    const code = text.trim().toUpperCase();
    if (code === '') return;
    setError(null);
    const r = await api.call('codeDetail', { params: { code: code as VoucherCode } });
    if (!r.ok) {
      setDetail(null);
      return setError(r.code === 'NOT_FOUND' ? t('lookupNotFound', { code }) : failureText(r));
    }
    setDetail(r.value);
  }

  return (
    <section className="card">
      <h2>{t('lookupTitle')}</h2>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void look();
        }}
      >
        <input
          type="search"
          name="code"
          aria-label={t('lookupPlaceholder')}
          placeholder={t('lookupPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="primary">
          {t('lookupButton')}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {detail && (
        <div className="code-detail">
          <dl className="facts">
            <dt>{t('lookupBatch')}</dt>
            <dd>
              {detail.batch.name} ({detail.batch.id})
            </dd>
            <dt>{t('lookupState')}</dt>
            <dd>{t(`codeState_${detail.code.state}`)}</dd>
            <dt>{t('lookupClaimed')}</dt>
            <dd>
              {detail.code.claimedAt ? localInstant(detail.code.claimedAt) : t('lookupNotClaimed')}
            </dd>
            <dt>{t('lookupKind')}</dt>
            <dd>{detail.signed ? t('lookupSigned') : t('lookupImported')}</dd>
          </dl>
          <h3>{t('redemptionsTitle')}</h3>
          {detail.redemptions.length === 0 ? (
            <p className="empty">{t('noRedemptions')}</p>
          ) : (
            <table className="grid">
              <thead>
                <tr>
                  <th>{t('at')}</th>
                  <th>{t('colStore')}</th>
                  <th>{t('colTill')}</th>
                  <th>{t('colCashier')}</th>
                  <th>{t('colStatus')}</th>
                  <th>{t('colDiscount')}</th>
                  <th>{t('colSale')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.redemptions.map((r) => (
                  <tr key={r.id}>
                    <td>{localInstant(r.at)}</td>
                    <td>{storeName(r.storeId)}</td>
                    <td>{r.terminalName ?? r.terminalId}</td>
                    <td>{r.cashierId ?? '—'}</td>
                    <td>{statusText(r.status, t)}</td>
                    <td>{money(r.discountFen)}</td>
                    <td>
                      {r.sale
                        ? t('saleText', { due: money(r.sale.dueFen), at: localInstant(r.sale.at) })
                        : t('noSale')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {detail.conflicts.length > 0 && (
            <>
              <h3>{t('conflictsOfCode')}</h3>
              <table className="grid">
                <thead>
                  <tr>
                    <th>{t('at')}</th>
                    <th>{t('colStore')}</th>
                    <th>{t('colTill')}</th>
                    <th>{t('colReason')}</th>
                    <th>{t('colDiscount')}</th>
                    <th>{t('colResolution')}</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.conflicts.map((c) => (
                    <tr key={c.redemptionId}>
                      <td>{localInstant(c.at)}</td>
                      <td>{storeName(c.storeId)}</td>
                      <td>{c.terminalId}</td>
                      <td>{reasonMessage(c.reason, locale, { storeName })}</td>
                      <td>{money(c.discountFen)}</td>
                      <td>{c.resolution ?? t('unresolved')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </section>
  );
}
