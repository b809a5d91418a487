import { useEffect, useState } from 'react';
import type { BatchId } from '../../../core/ids';
import { api, useFailureText, useT } from '../app/api';

/** Issuing 100,000 codes signs them all on the server: minutes at worst, not a till's 3 s. */
const ISSUE_TIMEOUT_MS = 300_000;

/**
 * Issues N signed codes of a batch and offers the CSV the server streams back as a download.
 * The server writes the codes in one transaction: a failed issue leaves none behind to count.
 */
export function CodesPanel(props: { readonly batchId: BatchId }) {
  const t = useT();
  const failureText = useFailureText();
  const [count, setCount] = useState('1000');
  const [busy, setBusy] = useState<number | null>(null);
  const [result, setResult] = useState<{ url: string; n: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => () => (result ? URL.revokeObjectURL(result.url) : undefined), [result]);

  async function issue() {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) return setError('1 – 100,000');
    setBusy(n);
    setError(null);
    const r = await api.call(
      'issueCodes',
      { params: { id: props.batchId }, body: { count: n, claimedAt: null } },
      ISSUE_TIMEOUT_MS,
    );
    setBusy(null);
    if (!r.ok) return setError(failureText(r));
    setResult({ url: URL.createObjectURL(new Blob([r.value], { type: 'text/csv' })), n });
  }

  return (
    <section className="card codes">
      <h2>{t('codesTitle')}</h2>
      <p className="help">{t('codesHelp')}</p>
      <div className="row">
        <label className="field">
          <span className="label">{t('codesCount')}</span>
          <input
            inputMode="numeric"
            name="codeCount"
            value={count}
            onChange={(e) => setCount(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="primary"
          disabled={busy !== null}
          onClick={() => void issue()}
        >
          {t('issue')}
        </button>
      </div>
      {busy !== null && (
        <div role="status">
          {t('issuing', { n: busy })}
          <progress />
        </div>
      )}
      {error && <p className="error">{error}</p>}
      {result && (
        <p className="notice ok" role="status">
          {t('issued', { n: result.n })}{' '}
          <a href={result.url} download={`${props.batchId}-codes.csv`}>
            {t('downloadCsv')}
          </a>
        </p>
      )}
    </section>
  );
}
