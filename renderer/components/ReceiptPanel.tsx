import { useState, useSyncExternalStore } from 'react';
import { columnsFor, isPrinter } from '../../core/devices/config';
import type { DeviceErrorCode } from '../../core/devices/errors';
import type { PrintOutcome } from '../../core/devices/contract';
import type { Locale } from '../../core/messages/format';
import type { PrintableReceipt } from '../../core/receipt/shift-model';
import { assertNever } from '../../core/result';
import type { DeviceServices } from '../app/services';
import { translator, type StringKey, type T } from '../i18n/strings';
import { printJobs, RECEIPT_JOB_MINUTES } from '../receipts/print-jobs';
import type { DevicesState, DevicesStore } from '../state/devices-store';
import { ReceiptPreview } from './ReceiptPreview';
import './receipt-panel.css';

type PrintState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'done'; readonly outcome: PrintOutcome['outcome'] }
  | { readonly kind: 'failed'; readonly code: DeviceErrorCode; readonly message: string };

/** One value of the devices slice, or `fallback` while this window has no devices. */
function useDevicesValue<T>(
  store: DevicesStore | null,
  pick: (state: DevicesState) => T,
  fallback: T,
): T {
  return useSyncExternalStore(
    (changed) => store?.subscribe(changed) ?? (() => undefined),
    () => (store === null ? fallback : pick(store.getState())),
  );
}

/** A refusal in words the cashier can act on. */
function refusalWords(code: DeviceErrorCode, t: T): string {
  // The general NO_PRINTER advice points at the Devices screen's own form.
  if (code === 'NO_PRINTER') return t('receiptNoPrinter');
  return t(`err_${code}` satisfies StringKey);
}

function PrintResult({ state, t }: { readonly state: PrintState; readonly t: T }) {
  switch (state.kind) {
    case 'idle':
    case 'busy':
      return null;
    case 'done': {
      const words =
        state.outcome === 'printed'
          ? t('receiptPrinted')
          : state.outcome === 'queued'
            ? t('receiptQueued', { minutes: RECEIPT_JOB_MINUTES })
            : t('receiptDuplicate');
      return (
        <p
          className="print-result ok"
          role="status"
          data-testid="print-result"
          data-outcome={state.outcome}
        >
          {words}
        </p>
      );
    }
    case 'failed':
      return (
        <div
          className="print-result bad"
          role="alert"
          data-testid="print-result"
          data-code={state.code}
        >
          <strong>
            {t('receiptNotPrinted')}
            {refusalWords(state.code, t)}
          </strong>
          <small>{state.message}</small>
        </div>
      );
    default:
      return assertNever(state, 'print state');
  }
}

/**
 * A receipt as it will print, with a Print button when the terminal has a default printer. Every
 * attempt for one receipt reuses its print job id, so a retry after a refusal or a lost answer
 * never puts the receipt on paper twice.
 */
export function ReceiptPanel({
  receipt,
  receiptKey,
  openDrawer,
  devices,
  locale,
  dot,
}: {
  readonly receipt: PrintableReceipt;
  /** Names this receipt among all this window prints (the sale, or one reprint of it). */
  readonly receiptKey: string;
  /** Pulse the cash drawer with it (a cash sale). */
  readonly openDrawer: boolean;
  readonly devices: DeviceServices | null;
  readonly locale: Locale;
  /** Screen pixels per printer dot of the preview (a narrow column shows it smaller). */
  readonly dot?: number;
}) {
  const t = translator(locale);
  const store = devices?.store ?? null;
  const defaultPrinterId = useDevicesValue(store, (s) => s.defaultPrinterId, null);
  const config = useDevicesValue(
    store,
    (s) => (s.defaultPrinterId === null ? undefined : s.configs[s.defaultPrinterId]),
    undefined,
  );
  // The paper of the default printer when this window saved it; else the common 80 mm roll.
  const printer = config !== undefined && isPrinter(config) ? config : undefined;
  const columns = printer === undefined ? 48 : columnsFor(printer.paperWidth);
  const [state, setState] = useState<PrintState>({ kind: 'idle' });

  const print = async (): Promise<void> => {
    if (devices === null) return;
    setState({ kind: 'busy' });
    const ticket = printJobs.ticketFor(receiptKey);
    const result = await devices.client.printReceipt({
      jobId: ticket.jobId,
      expiresAt: ticket.expiresAt,
      printerId: null,
      receipt,
      openDrawer,
    });
    if (result.ok) {
      setState({ kind: 'done', outcome: result.value.outcome });
      return;
    }
    if (result.code === 'JOB_EXPIRED') printJobs.expired(receiptKey);
    setState({ kind: 'failed', code: result.code, message: result.message });
  };

  return (
    <section className="receipt-panel" data-testid="receipt-panel">
      <div className="receipt-print">
        {defaultPrinterId === null ? (
          <p className="muted" data-testid="print-no-printer">
            {t('receiptNoPrinter')}
          </p>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={state.kind === 'busy'}
            onClick={() => void print()}
            data-testid="print-receipt"
          >
            {state.kind === 'busy' ? t('printingReceipt') : t('printReceipt')}
          </button>
        )}
        <PrintResult state={state} t={t} />
      </div>
      <ReceiptPreview
        receipt={receipt}
        columns={columns}
        locale={locale}
        cut={printer?.cut ?? true}
        {...(dot === undefined ? {} : { dot })}
      />
    </section>
  );
}
