import { useState } from 'react';
import type { ImportMembersCsvResponse, MemberRowError } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { ImportOutcome } from '../app/ImportOutcome';

/** A whole file checks and stores in one call; a big file takes longer than a save. */
const IMPORT_TIMEOUT_MS = 120_000;

/**
 * Imports members from a CSV (phone,name,tier). The server checks every row and stores all or
 * none; the report names each bad row and how to fix it.
 */
export function MemberImport({ onImported }: { readonly onImported: () => void }) {
  const t = useT();
  const failureText = useFailureText();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [report, setReport] = useState<ImportMembersCsvResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    if (!file) return;
    const csv = await file.text();
    setBusy(csv.split('\n').length);
    setError(null);
    setReport(null);
    const r = await api.call('importMembersCsv', { body: { csv } }, IMPORT_TIMEOUT_MS);
    setBusy(null);
    if (!r.ok) return setError(failureText(r));
    setReport(r.value);
    if (r.value.imported > 0) onImported();
  }

  return (
    <section className="card" data-testid="member-import">
      <h2>{t('memberImportTitle')}</h2>
      <p className="help">{t('memberImportHelp')}</p>
      <div className="row">
        <label className="field">
          <span className="label">{t('importFile')}</span>
          <input
            type="file"
            name="memberFile"
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
          disabled={busy !== null || !file}
          onClick={() => void run()}
        >
          {t('importButton')}
        </button>
      </div>
      <ImportOutcome<MemberRowError>
        busy={busy}
        error={error}
        report={report}
        importedText={(n) => t('membersImportedOk', { n, added: report?.added ?? 0 })}
        refusedText={(n) => t('membersImportRefused', { n })}
        problemText={(e) =>
          t(`memberProblem_${e.problem}`, { first: e.firstRow ?? '', value: e.value })
        }
        fixText={(e) => t(`memberFix_${e.problem}`)}
      />
    </section>
  );
}
