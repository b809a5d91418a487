import type { DeviceConfig } from '../../../core/devices/config';
import { columnsFor } from '../../../core/devices/config';
import type { DeviceId } from '../../../core/devices/ids';
import type { DeviceStatus, PrintJobEvent } from '../../../core/devices/status';
import type { Locale } from '../../../core/messages/format';
import { testPageLayout } from '../../../core/receipt/testPage';
import type { StringKey, T } from '../../i18n/strings';
import type { TestPrintDone } from '../../state/devices-store';
import { ReceiptPreview } from '../ReceiptPreview';

export interface TestPrintPanelProps {
  readonly printers: readonly DeviceStatus[];
  readonly selected: DeviceId | null;
  readonly config: DeviceConfig | undefined;
  /** Paper width to preview when the printer's configuration is not known here. */
  readonly previewColumns: 32 | 48;
  readonly printedAt: string;
  readonly lastTestPrint: TestPrintDone | null;
  readonly lastJob: PrintJobEvent | null;
  readonly busy: boolean;
  readonly t: T;
  readonly locale: Locale;
  readonly onSelect: (id: DeviceId) => void;
  readonly onPreviewColumns: (columns: 32 | 48) => void;
  readonly onPrint: (id: DeviceId) => void;
}

/** The test page beside its print button: what should come out of the printer, line for line. */
export function TestPrintPanel(props: TestPrintPanelProps) {
  const { t, printers, selected } = props;
  const printer = printers.find((p) => p.deviceId === selected);
  if (printer === undefined) {
    return (
      <section className="dv-card dv-test">
        <h2>{t('testPage')}</h2>
        <p className="dv-empty">{t('pickPrinter')}</p>
      </section>
    );
  }
  const known =
    props.config !== undefined && 'paperWidth' in props.config
      ? columnsFor(props.config.paperWidth)
      : null;
  const columns = known ?? props.previewColumns;
  const cut = props.config !== undefined && 'cut' in props.config ? props.config.cut : true;
  const layout = testPageLayout({ name: printer.name, columns }, props.printedAt);
  const done = props.lastTestPrint?.printerId === printer.deviceId ? props.lastTestPrint : null;
  const job = props.lastJob?.printerId === printer.deviceId ? props.lastJob : null;
  return (
    <section className="dv-card dv-test" data-testid="test-print-panel">
      <h2>{t('testPrintFor', { name: printer.name })}</h2>
      <div className="dv-test-controls">
        {printers.length > 1 && (
          <select
            value={printer.deviceId}
            aria-label={t('printers')}
            onChange={(e) => {
              const next = printers.find((p) => p.deviceId === e.target.value);
              if (next) props.onSelect(next.deviceId);
            }}
          >
            {printers.map((p) => (
              <option key={p.deviceId} value={p.deviceId}>
                {p.name}
              </option>
            ))}
          </select>
        )}
        <button
          type="button"
          className="primary"
          disabled={props.busy}
          onClick={() => props.onPrint(printer.deviceId)}
          data-testid="test-print-panel-print"
        >
          {props.busy ? t('working') : t('testPrint')}
        </button>
        {known === null && (
          <label className="dv-inline">
            {t('previewWidth')}
            <select
              value={columns}
              onChange={(e) => props.onPreviewColumns(e.target.value === '32' ? 32 : 48)}
            >
              <option value={32}>58 mm</option>
              <option value={48}>80 mm</option>
            </select>
          </label>
        )}
      </div>
      {done !== null && (
        <p
          className={`dv-outcome outcome-${done.outcome}`}
          role="status"
          data-testid="test-outcome"
          data-outcome={done.outcome}
        >
          {done.outcome === 'failed'
            ? `${t('testFailed')}${t(`err_${done.code ?? 'INTERNAL'}` satisfies StringKey)}`
            : t(done.outcome === 'queued' ? 'testQueued' : done.outcome)}
        </p>
      )}
      {job !== null && (
        <p className={`dv-outcome outcome-job-${job.outcome}`} role="status">
          {t(
            job.outcome === 'printed'
              ? 'jobPrinted'
              : job.outcome === 'expired'
                ? 'jobExpired'
                : 'jobFailed',
          )}
        </p>
      )}
      <div className="dv-preview">
        <ReceiptPreview layout={layout} locale={props.locale} cut={cut} />
      </div>
    </section>
  );
}
