import { useState } from 'react';
import { Link } from 'react-router';
import type { BatchId } from '../../../core/ids';
import { PublishClaimPage, type ClaimPageView } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { useStores } from '../app/stores';
import { fieldErrors } from '../batch/issues';
import { CountInput, Field } from '../batch/inputs';
import { ClaimPageList } from './ClaimPageList';
import { posterPath } from './poster-path';

/**
 * Publishes a claim page for the batch with its stock and per-customer limit (the server's
 * publishClaimPage body, checked by the same core schema here with each problem under its
 * field), then shows its public link and the way to its printable poster; below, every page
 * published for the batch (ClaimPageList).
 */
export function ClaimPagePanel(props: { readonly batchId: BatchId; readonly batchName: string }) {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const failureText = useFailureText();
  const [stores] = useStores();
  const storeList = stores.state === 'ready' ? stores.value.stores : [];
  const [title, setTitle] = useState(props.batchName.slice(0, 60));
  const [storeId, setStoreId] = useState('');
  const [total, setTotal] = useState<number | null>(1000);
  const [daily, setDaily] = useState<number | null>(null);
  const [perCustomer, setPerCustomer] = useState<number | null>(1);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [published, setPublished] = useState<ClaimPageView | null>(null);
  const [copied, setCopied] = useState(false);
  const [round, setRound] = useState(0);

  const chosenStore = storeId || storeList[0]?.id || '';
  const parsed = PublishClaimPage.safeParse({
    batchId: props.batchId,
    storeId: chosenStore,
    title,
    totalStock: total ?? Number.NaN,
    dailyStock: daily,
    perCustomer: perCustomer ?? Number.NaN,
  });
  const errors = touched && !parsed.success ? fieldErrors(parsed.error, locale) : new Map();

  async function publish() {
    setTouched(true);
    if (!parsed.success) return setError(t('fixErrors'));
    setBusy(true);
    setError(null);
    const r = await api.call('publishClaimPage', { body: parsed.data });
    setBusy(false);
    if (!r.ok) return setError(failureText(r));
    setPublished(r.value);
    setCopied(false);
    setRound((n) => n + 1);
  }

  const link = published ? `${window.location.origin}${published.path}` : '';
  return (
    <section className="card claim-panel" data-testid="claim-panel">
      <h2>{t('claimTitle')}</h2>
      <p className="help">{t('claimHelp')}</p>
      <div className="claim-grid">
        <Field label={t('claimPageTitle')} error={errors.get('title')}>
          <input name="claimTitle" value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label={t('claimStore')} help={t('claimStoreHelp')} error={errors.get('storeId')}>
          <select
            name="claimStore"
            value={chosenStore}
            onChange={(e) => setStoreId(e.target.value)}
          >
            {storeList.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
          </select>
        </Field>
        <CountInput
          label={t('claimTotal')}
          value={total}
          onChange={setTotal}
          error={errors.get('totalStock')}
        />
        <CountInput
          label={t('claimDaily')}
          value={daily}
          onChange={setDaily}
          nullable
          error={errors.get('dailyStock')}
        />
        <CountInput
          label={t('claimPerCustomer')}
          value={perCustomer}
          onChange={setPerCustomer}
          error={errors.get('perCustomer')}
        />
      </div>
      <div className="buttons">
        <button className="primary" disabled={busy} onClick={() => void publish()}>
          {busy ? t('claimPublishing') : t('claimPublish')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {published && (
        <div className="notice ok claim-done" role="status">
          <p>{t('claimPublished')}</p>
          <p>
            {t('claimLink')}:{' '}
            <a href={link} target="_blank" rel="noreferrer" data-testid="claim-link">
              {link}
            </a>{' '}
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard.writeText(link).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? t('claimCopied') : t('claimCopy')}
            </button>
          </p>
          <p>
            <Link to={posterPath(published)} data-testid="poster-link">
              {t('claimPoster')}
            </Link>
          </p>
        </div>
      )}
      <ClaimPageList key={round} batchId={props.batchId} />
    </section>
  );
}
