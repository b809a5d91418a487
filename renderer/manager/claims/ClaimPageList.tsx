import { useState } from 'react';
import { Link } from 'react-router';
import type { BatchId } from '../../../core/ids';
import type { ClaimPagesPage } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useLoad } from '../app/use-load';
import { posterPath } from './poster-path';
import { NotLoaded } from '../app/NotLoaded';

const PAGE = 50;

/**
 * The batch's published claim pages, newest first (claimPages, paged): each with its public
 * link, its poster and how much of its stock is claimed. The panel gives it a new key when it
 * publishes a page, so the list loads again from its first page.
 */
export function ClaimPageList(props: { readonly batchId: BatchId }) {
  const t = useT();
  const failureText = useFailureText();
  const [loaded] = useLoad(`claim pages ${props.batchId}`, () =>
    api.call('claimPages', { query: { batchId: props.batchId, limit: PAGE } }),
  );
  const [extra, setExtra] = useState<ClaimPagesPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (loaded.state !== 'ready') return <NotLoaded loaded={loaded} />;
  const pages = [...loaded.value.pages, ...(extra?.pages ?? [])];
  const next = extra ? extra.next : loaded.value.next;

  async function more() {
    if (next === null) return;
    const r = await api.call('claimPages', {
      query: { batchId: props.batchId, after: next, limit: PAGE },
    });
    if (!r.ok) return setError(failureText(r));
    setError(null);
    setExtra({ pages: [...(extra?.pages ?? []), ...r.value.pages], next: r.value.next });
  }

  return (
    <div className="claim-pages" data-testid="claim-pages">
      <h3>{t('claimPagesTitle')}</h3>
      {pages.length === 0 ? (
        <p className="help">{t('claimPagesNone')}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('claimPageTitle')}</th>
              <th>{t('claimStore')}</th>
              <th className="num">{t('claimPagesClaimed')}</th>
              <th>{t('claimLink')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {pages.map((p) => {
              const link = `${window.location.origin}${p.path}`;
              return (
                <tr key={p.id} data-testid="claim-page-row" data-page={p.id}>
                  <td>{p.title}</td>
                  <td>{p.storeId}</td>
                  <td className="num">
                    {p.claimed} / {p.totalStock}
                  </td>
                  <td className="claim-page-link">
                    <a href={link} target="_blank" rel="noreferrer">
                      {link}
                    </a>
                  </td>
                  <td>
                    <Link to={posterPath(p)}>{t('claimPoster')}</Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {next !== null && <button onClick={() => void more()}>{t('more')}</button>}
    </div>
  );
}
