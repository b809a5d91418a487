import { useState } from 'react';
import type { BatchId } from '../../../core/ids';
import type { CodeRowError, ImportCodesCsvResponse } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
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
      {busy !== null && (
        <div role="status">
          {t('importing', { n: busy })}
          <progress />
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && report.badRows === 0 && (
        <p className="notice ok" role="status">
          {t('importedOk', { n: report.imported })}
        </p>
      )}
      {report && report.badRows > 0 && (
        <div className="import-report">
          <p className="error" role="alert">
            {t('importRefused', { n: report.badRows })}
          </p>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('colRow')}</th>
                <th>{t('colValue')}</th>
                <th>{t('colProblem')}</th>
                <th>{t('colFix')}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e) => (
                <tr key={`${e.row}:${e.problem}`}>
                  <td>{e.row === 0 ? '—' : e.row}</td>
                  <td>
                    <code>{e.value}</code>
                  </td>
                  <td>{problemText(e, t)}</td>
                  <td>{t(`fix_${e.problem}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.badRows > report.errors.length && (
            <p className="help">{t('importMore', { n: report.badRows - report.errors.length })}</p>
          )}
        </div>
      )}
    </section>
  );
}
