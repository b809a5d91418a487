import type { ProductRowError } from '../../../core/protocol/index';
import { api, useT } from '../app/api';
import { CsvFileField } from '../app/CsvFileField';
import { ImportOutcome } from '../app/ImportOutcome';
import { IMPORT_TIMEOUT_MS, useCsvImport } from '../app/use-csv-import';
import type { T } from '../i18n/strings';

function problemText(e: ProductRowError, t: T): string {
  return t(`productProblem_${e.problem}`, { first: e.firstRow ?? '', value: e.value });
}

/**
 * Imports products from a CSV (sku,name,barcode,category,price). The server checks every row
 * and stores all or none; the report names each bad row and how to fix it.
 */
export function ProductImport({ onImported }: { readonly onImported: () => void }) {
  const t = useT();
  const job = useCsvImport(
    (csv) => api.call('importProductsCsv', { body: { csv } }, IMPORT_TIMEOUT_MS),
    onImported,
  );

  return (
    <section className="card" data-testid="product-import">
      <h2>{t('productImportTitle')}</h2>
      <p className="help">{t('productImportHelp')}</p>
      <div className="row">
        <CsvFileField name="productFile" onFile={job.setFile} />
        <button
          type="button"
          className="primary"
          disabled={job.busy !== null || !job.file}
          onClick={() => void job.run()}
        >
          {t('importButton')}
        </button>
      </div>
      <ImportOutcome
        busy={job.busy}
        error={job.error}
        report={job.report}
        importedText={(n) => t('productsImportedOk', { n })}
        refusedText={(n) => t('productsImportRefused', { n })}
        problemText={(e) => problemText(e, t)}
        fixText={(e) => t(`productFix_${e.problem}`)}
      />
    </section>
  );
}
