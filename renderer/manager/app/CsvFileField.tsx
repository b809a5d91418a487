import { useT } from './api';

/** The file picker of a CSV import. */
export function CsvFileField(props: {
  readonly name: string;
  readonly onFile: (file: File | null) => void;
}) {
  const t = useT();
  return (
    <label className="field">
      <span className="label">{t('importFile')}</span>
      <input
        type="file"
        name={props.name}
        accept=".csv,text/csv,text/plain"
        onChange={(e) => props.onFile(e.target.files?.[0] ?? null)}
      />
    </label>
  );
}
