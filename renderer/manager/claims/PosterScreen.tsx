import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { BatchId } from '../../../core/ids';
import { describeBenefit } from '../../../core/messages';
import { QrCode } from '../../components/QrCode';
import { api, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { useLoad } from '../app/use-load';
import { validityText } from '../batch/batch-text';
import { NotLoaded } from '../app/NotLoaded';

const SIZES = ['A5', 'A4'] as const;

/**
 * A claim page's poster for a counter stand: its title, the batch's name, offer and validity,
 * and the QR code of the public link, laid out for A5 or A4 paper (the print stylesheet hides
 * the console around it and names the page size).
 */
export function PosterScreen() {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const pageId = params.get('page') ?? '';
  const title = params.get('title') ?? '';
  const size = params.get('size') === 'A4' ? 'A4' : 'A5';
  usePageSize(size);
  const [loaded] = useLoad(`poster:${id ?? ''}`, () =>
    api.call('batch', { params: { id: (id ?? '') as BatchId } }),
  );
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(pageId))
    return <p className="notice error">{t('posterMissing')}</p>;
  if (loaded.state !== 'ready') return <NotLoaded loaded={loaded} />;
  const batch = loaded.value.batch;
  const url = `${window.location.origin}/claim/${encodeURIComponent(pageId)}`;
  return (
    <section className="poster-screen">
      <div className="title-row no-print">
        <h1>{t('posterTitle')}</h1>
        <div className="buttons">
          <label className="inline">
            {t('posterSize')}{' '}
            <select
              name="posterSize"
              value={size}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                next.set('size', e.target.value);
                setParams(next, { replace: true });
              }}
            >
              {SIZES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <button className="primary" onClick={() => window.print()}>
            {t('posterPrint')}
          </button>
          <Link to={`/batches/${batch.id}`}>{t('posterBack')}</Link>
        </div>
      </div>
      <article className={`poster ${size.toLowerCase()}`} data-testid="poster">
        <p className="poster-title">{title || batch.name}</p>
        <p className="poster-batch">{batch.name}</p>
        <p className="poster-value">
          <span className="poster-key">{t('posterValue')}</span>
          {describeBenefit(batch.benefit, locale)}
        </p>
        <QrCode text={url} size={size === 'A4' ? 340 : 260} testId="poster-qr" />
        <p className="poster-scan">{t('posterScan')}</p>
        <p className="poster-validity">
          <span className="poster-key">{t('posterValidity')}</span>
          {validityText(batch, t)}
        </p>
        <p className="poster-hint">{t('posterHint')}</p>
        <p className="poster-url">{url}</p>
      </article>
    </section>
  );
}

/**
 * The printed sheet's size while the poster is shown: an @page rule of the chosen paper, added
 * through the CSSOM (the console's CSP allows no inline style sheet) and removed on leaving,
 * so the other screens print on the browser's own paper.
 */
function usePageSize(size: (typeof SIZES)[number]): void {
  useEffect(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`@page { size: ${size}; margin: 0; }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [size]);
}
