import { useState } from 'react';
import type { BatchId } from '../../../core/ids';
import type { CodeRowError, ImportCodesCsvResponse } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { ImportOutcome } from '../app/ImportOutcome';
import type { T } from '../i18n/strings';
import { useLoad } from '../app/use-load';

/** A whole file of codes checks and stores in one call; a big file takes longer than a save. */
const IMPORT_TIMEOUT_MS = 120_000;

function problemText(e: CodeRowError, t: T): string {
  return t(`problem_${e.problem}`, { first: e.firstRow ?? '', value: e.value });
}

/**
 * Imports codes made elsewhere (a group-buy platform's) from a CSV into an active batch. The
 * server checks every row and stores all or none; the report names each bad row and the fix.
 */
export function CodeImport() {
  const t = useT();
  const failureText = useFailureText();
  const [batches] = useLoad('import-batches', () =>
    api.call('batches', { query: { state: 'active', limit: 200 } }),
  );
  const [batchId, setBatchId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [report, setReport] = useState<ImportCodesCsvResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choices = batches.state === 'ready' ? batches.value.batches : [];
  const chosen = batchId || (choices[0]?.batch.id ?? '');

  async function run() {
    if (!file || chosen === '') return;
    const csv = await file.text();
    setBusy(csv.split('\n').length);
    setError(null);
    setReport(null);
    const r = await api.call(
      'importCodesCsv',
      { params: { id: chosen as BatchId }, body: { csv, claimedAt: null } },
      IMPORT_TIMEOUT_MS,
    );
    setBusy(null);
    if (!r.ok) return setError(failureText(r));
    setReport(r.value);
  }

  return (
    <section className="card">
      <h2>{t('importTitle')}</h2>
      <p className="help">{t('importHelp')}</p>
      <div className="row">
        <label className="field">
          <span className="label">{t('importBatch')}</span>
          <select name="importBatch" value={chosen} onChange={(e) => setBatchId(e.target.value)}>
            {choices.map((r) => (
              <option key={r.batch.id} value={r.batch.id}>
                {r.batch.name} ({r.batch.id})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="label">{t('importFile')}</span>
          <input
            type="file"
            name="importFile"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
            }}
          />
        </label>
        <button
          type="button"
          className="primary"
          disabled={busy !== null || !file || chosen === ''}
          onClick={() => void run()}
        >
          {t('importButton')}
        </button>
      </div>
      <ImportOutcome
        busy={busy}
        error={error}
        report={report}
        importedText={(n) => t('importedOk', { n })}
        refusedText={(n) => t('importRefused', { n })}
        problemText={(e) => problemText(e, t)}
        fixText={(e) => t(`fix_${e.problem}`)}
      />
    </section>
  );
}
