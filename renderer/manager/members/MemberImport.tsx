import type { MemberRowError } from '../../../core/protocol/index';
import { api, useT } from '../app/api';
import { CsvFileField } from '../app/CsvFileField';
import { ImportOutcome } from '../app/ImportOutcome';
import { IMPORT_TIMEOUT_MS, useCsvImport } from '../app/use-csv-import';

/**
 * Imports members from a CSV (phone,name,tier). The server checks every row and stores all or
 * none; the report names each bad row and how to fix it.
 */
export function MemberImport({ onImported }: { readonly onImported: () => void }) {
  const t = useT();
  const job = useCsvImport(
    (csv) => api.call('importMembersCsv', { body: { csv } }, IMPORT_TIMEOUT_MS),
    onImported,
  );

  return (
    <section className="card" data-testid="member-import">
      <h2>{t('memberImportTitle')}</h2>
      <p className="help">{t('memberImportHelp')}</p>
      <div className="row">
        <CsvFileField name="memberFile" onFile={job.setFile} />
        <button
          type="button"
          className="primary"
          disabled={job.busy !== null || !job.file}
          onClick={() => void job.run()}
        >
          {t('importButton')}
        </button>
      </div>
      <ImportOutcome<MemberRowError>
        busy={job.busy}
        error={job.error}
        report={job.report}
        importedText={(n) => t('membersImportedOk', { n, added: job.report?.added ?? 0 })}
        refusedText={(n) => t('membersImportRefused', { n })}
        problemText={(e) =>
          t(`memberProblem_${e.problem}`, { first: e.firstRow ?? '', value: e.value })
        }
        fixText={(e) => t(`memberFix_${e.problem}`)}
      />
    </section>
  );
}
