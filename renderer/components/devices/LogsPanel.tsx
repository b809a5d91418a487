import { useCallback, useEffect, useState } from 'react';
import type { LogTail } from '../../../core/desktop/logs';
import type { LogReader } from '../../devices/log-reader';
import type { T } from '../../i18n/strings';
import { logsExportText, newestLinesFirst, readableLogLine } from './log-lines';

/** Lines drawn on screen: a till's renderer stays light; the export has every line read. */
const SHOWN_LINES = 400;

export type LogsState =
  | { readonly kind: 'desktop-only' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'loaded'; readonly tails: readonly LogTail[] };

/** The app's logs for a manager or support on the phone: read them here, or export a .txt. */
export function LogsPanel({
  reader,
  t,
  timeZone,
}: {
  readonly reader: LogReader | null;
  readonly t: T;
  readonly timeZone: string;
}) {
  const [state, setState] = useState<LogsState>(
    reader === null ? { kind: 'desktop-only' } : { kind: 'loading' },
  );
  const load = useCallback(async (): Promise<void> => {
    if (reader === null) return;
    setState({ kind: 'loading' });
    const result = await reader.read();
    setState(
      result.ok
        ? { kind: 'loaded', tails: result.value }
        : { kind: 'failed', message: result.message },
    );
  }, [reader]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <LogsView
      state={state}
      t={t}
      timeZone={timeZone}
      onRefresh={() => void load()}
      onExport={(tails) => exportLogs(tails)}
    />
  );
}

/** Saves the tails as tillpoint-logs-<date>.txt through the browser's download. */
function exportLogs(tails: readonly LogTail[]): void {
  const now = new Date().toISOString();
  const blob = new Blob([logsExportText(tails, now)], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `tillpoint-logs-${now.slice(0, 19).replace(/:/g, '')}.txt`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function LogsView({
  state,
  t,
  timeZone,
  onRefresh,
  onExport,
}: {
  readonly state: LogsState;
  readonly t: T;
  readonly timeZone: string;
  readonly onRefresh: () => void;
  readonly onExport: (tails: readonly LogTail[]) => void;
}) {
  const tails = state.kind === 'loaded' ? state.tails : [];
  const lines = newestLinesFirst(tails);
  return (
    <section className="dv-card dv-logs" data-testid="logs-panel" data-state={state.kind}>
      <div className="dv-logs-head">
        <h2>{t('logsTitle')}</h2>
        {state.kind !== 'desktop-only' && (
          <div className="dv-logs-actions">
            <button
              type="button"
              className="secondary small"
              disabled={state.kind === 'loading'}
              onClick={onRefresh}
            >
              {t('refresh')}
            </button>
            <button
              type="button"
              className="small"
              disabled={lines.length === 0}
              onClick={() => onExport(tails)}
              data-testid="logs-export"
            >
              {t('logsExport')}
            </button>
          </div>
        )}
      </div>
      {state.kind === 'desktop-only' && <p className="dv-empty">{t('logsDesktopOnly')}</p>}
      {state.kind === 'loading' && <p className="dv-empty">{t('logsLoading')}</p>}
      {state.kind === 'failed' && (
        <p className="dv-logs-failed" role="alert">
          {t('logsFailed')} <span className="mono">{state.message}</span>
        </p>
      )}
      {state.kind === 'loaded' && lines.length === 0 && <p className="dv-empty">{t('logsNone')}</p>}
      {lines.length > 0 && (
        <>
          <p className="help">
            {t('logsFiles', { files: tails.length, lines: lines.length })}
            {lines.length > SHOWN_LINES && ` ${t('logsShownNewest', { n: SHOWN_LINES })}`}
          </p>
          <ol className="dv-logs-lines mono" data-testid="log-lines">
            {lines.slice(0, SHOWN_LINES).map((raw, i) => {
              const line = readableLogLine(raw, timeZone);
              return (
                <li key={i} className={`tone-${line.tone}`} data-level={line.level}>
                  <span className="dv-log-time">{line.time}</span>
                  <span className="dv-log-level">{line.level}</span>
                  <span className="dv-log-process">{line.process}</span>
                  <span className="dv-log-text">{line.text}</span>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
