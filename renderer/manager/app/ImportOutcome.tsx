import { useT } from './api';

interface RowError {
  readonly row: number;
  readonly value: string;
  readonly problem: string;
}

/** What an all-or-nothing CSV import answers (codes, products). */
interface ImportAnswer<E extends RowError> {
  readonly imported: number;
  readonly badRows: number;
  /** The first bad rows, each with what is wrong (the rest are counted in badRows). */
  readonly errors: readonly E[];
}

/**
 * The end of a CSV import: progress while the server checks the file, then either how many
 * rows went in or the table of bad rows (nothing went in), each with its problem and its fix.
 */
export function ImportOutcome<E extends RowError>(props: {
  /** Lines being checked, while the server works. */
  readonly busy: number | null;
  readonly error: string | null;
  readonly report: ImportAnswer<E> | null;
  readonly importedText: (n: number) => string;
  readonly refusedText: (n: number) => string;
  readonly problemText: (e: E) => string;
  readonly fixText: (e: E) => string;
}) {
  const t = useT();
  const { busy, error, report } = props;
  return (
    <>
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
          {props.importedText(report.imported)}
        </p>
      )}
      {report && report.badRows > 0 && (
        <div className="import-report">
          <p className="error" role="alert">
            {props.refusedText(report.badRows)}
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
                <tr key={`${e.row}:${e.problem}`} data-row={e.row}>
                  <td>{e.row === 0 ? '—' : e.row}</td>
                  <td>
                    <code>{e.value}</code>
                  </td>
                  <td>{props.problemText(e)}</td>
                  <td>{props.fixText(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.badRows > report.errors.length && (
            <p className="help">{t('importMore', { n: report.badRows - report.errors.length })}</p>
          )}
        </div>
      )}
    </>
  );
}
