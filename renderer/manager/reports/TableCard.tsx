import { useState, type ReactNode } from 'react';
import type { ReportCsvTable } from '../../../core/protocol/index';
import { cellText } from '../../../core/reports/table';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { csvPath, reportQuery, type ReportFilters } from './filters';
import type { ReportTable } from './report-table';

const NUMERIC = new Set(['count', 'fen', 'signedFen', 'rate']);
/** Longer tables start folded under their chart (a chain's month of sales is thousands of rows). */
const FOLD_ROWS = 60;

/**
 * A report table as the CSV prints it (the same cells through the same cellText), with its
 * CSV download: the reportCsv route with the screen's filters. The link's address is that
 * route; a click fetches it with the manager's session (bearer token, no cookie) and saves it.
 */
export function TableCard(props: {
  readonly title: string;
  readonly help?: string | undefined;
  readonly table: ReportTable;
  readonly csv: ReportCsvTable;
  readonly filters: ReportFilters;
  readonly storeName: (id: string) => string;
  readonly testId: string;
  /** The chart drawn from this table, above it. */
  readonly chart?: ReactNode;
  /** Start folded; without it, tables of more than FOLD_ROWS rows do. */
  readonly folded?: boolean;
  /** A narrow table (a few short columns) is not stretched over the page. */
  readonly compact?: boolean;
}) {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const failureText = useFailureText();
  const foldable = props.folded ?? props.table.rows.length > FOLD_ROWS;
  const [open, setOpen] = useState(!foldable);
  const [error, setError] = useState<string | null>(null);
  const href = csvPath(props.csv, props.filters, locale);
  const filename = `${props.csv}-${props.filters.from}-${props.filters.to}.csv`;

  async function download() {
    setError(null);
    const r = await api.call('reportCsv', {
      params: { table: props.csv },
      query: { ...reportQuery(props.filters), locale },
    });
    if (!r.ok) return setError(t('repCsvFailed', { message: failureText(r) }));
    // fetch's text() drops the byte-order mark the server sends; Excel needs it for Chinese.
    const text = r.value.startsWith('\uFEFF') ? r.value : `\uFEFF${r.value}`;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const { table } = props;
  return (
    <section className="card report-card" data-testid={props.testId}>
      <div className="title-row">
        <h2>{props.title}</h2>
        <a
          className="button csv"
          href={href}
          download={filename}
          aria-label={t('repCsvOf', { table: props.title })}
          onClick={(e) => {
            e.preventDefault();
            void download();
          }}
        >
          {t('repCsv')}
        </a>
      </div>
      {props.help && <p className="help">{props.help}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {props.chart}
      {table.rows.length === 0 ? (
        <p className="empty">{t('repNoRows')}</p>
      ) : (
        <>
          {foldable && (
            <button type="button" className="link" onClick={() => setOpen(!open)}>
              {open ? t('repHideTable') : t('repShowTable', { n: table.rows.length })}
            </button>
          )}
          {open && (
            <div className="table-scroll">
              <table className={props.compact ? 'grid report-table compact' : 'grid report-table'}>
                <thead>
                  <tr>
                    {table.columns.map((c) => (
                      <th key={c.key} className={NUMERIC.has(c.kind) ? 'num' : undefined}>
                        {c.label[locale]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((row, r) => (
                    <tr key={r}>
                      {table.columns.map((c, i) => {
                        const text = cellText(c, row[i] ?? null, locale);
                        return (
                          <td
                            key={c.key}
                            data-key={c.key}
                            data-cell={text}
                            className={NUMERIC.has(c.kind) ? 'num' : undefined}
                          >
                            {c.key === 'storeId' ? (
                              <>
                                {props.storeName(text)} <span className="id">{text}</span>
                              </>
                            ) : (
                              text
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
