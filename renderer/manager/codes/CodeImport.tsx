import { useState } from 'react';
import type { BatchId } from '../../../core/ids';
import type { CodeRowError } from '../../../core/protocol/index';
import { api, useT } from '../app/api';
import { CsvFileField } from '../app/CsvFileField';
import { ImportOutcome } from '../app/ImportOutcome';
import { IMPORT_TIMEOUT_MS, useCsvImport } from '../app/use-csv-import';
import type { T } from '../i18n/strings';
import { useLoad } from '../app/use-load';

function problemText(e: CodeRowError, t: T): string {
  return t(`problem_${e.problem}`, { first: e.firstRow ?? '', value: e.value });
}

/**
 * Imports codes made elsewhere (a group-buy platform's) from a CSV into an active batch. The
 * server checks every row and stores all or none; the report names each bad row and the fix.
 */
export function CodeImport() {
  const t = useT();
  const [batches] = useLoad('import-batches', () =>
    api.call('batches', { query: { state: 'active', limit: 200 } }),
  );
  const [batchId, setBatchId] = useState('');
  const choices = batches.state === 'ready' ? batches.value.batches : [];
  const chosen = batchId || (choices[0]?.batch.id ?? '');

  const job = useCsvImport((csv) =>
    api.call(
      'importCodesCsv',
      { params: { id: chosen as BatchId }, body: { csv, claimedAt: null } },
      IMPORT_TIMEOUT_MS,
    ),
  );

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
        <CsvFileField name="importFile" onFile={job.setFile} />
        <button
          type="button"
          className="primary"
          disabled={job.busy !== null || !job.file || chosen === ''}
          onClick={() => void job.run()}
        >
          {t('importButton')}
        </button>
      </div>
      <ImportOutcome
        busy={job.busy}
        error={job.error}
        report={job.report}
        importedText={(n) => t('importedOk', { n })}
        refusedText={(n) => t('importRefused', { n })}
        problemText={(e) => problemText(e, t)}
        fixText={(e) => t(`fix_${e.problem}`)}
      />
    </section>
  );
}
