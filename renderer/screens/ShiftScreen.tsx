import { useEffect, useMemo, useState } from 'react';
import { parseYuan, type Fen } from '../../core/money';
import { base, deviceServices } from '../app/services';
import { closeShift, loadShift, openShift, refreshReport } from '../app/shift-actions';
import { ReceiptPanel } from '../components/ReceiptPanel';
import { ShiftReportView } from '../components/ShiftReportView';
import type { Locale } from '../../core/messages/format';
import { apiFailureMessage } from '../i18n/api-errors';
import type { T } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { shiftReceipt } from '../receipts/shift-receipt';
import { useSessionStore } from '../state/session-store';
import { useShiftStore, type ShiftProblem } from '../state/shift-store';

/** The printout's preview fits the side column: 80 mm paper (640 dots) in 384 px. */
const PREVIEW_DOT = 0.6;

/**
 * 开班 / 交班: open a shift with the float, close it with the counted cash, then the server's
 * report on screen and on the receipt printer. Keyboard first: the amount field has the focus
 * and Enter sends it.
 */
export function ShiftScreen() {
  const t = useT();
  const current = useShiftStore((s) => s.current);
  const report = useShiftStore((s) => s.report);
  const busy = useShiftStore((s) => s.busy);
  const problem = useShiftStore((s) => s.problem);
  const terminal = useSessionStore((s) => s.terminal);
  const locale = useSessionStore((s) => s.locale);
  const cashier = useSessionStore((s) => s.session?.user.name ?? '');
  const timeZone = terminal?.store.timeZone ?? 'Asia/Shanghai';

  useEffect(() => {
    void refreshReport();
  }, []);

  const closedReport = report?.state === 'closed' && current === null ? report : null;
  const liveReport = report?.state === 'open' && current !== null ? report : null;
  const receipt = useMemo(
    () =>
      closedReport === null || terminal === null
        ? null
        : shiftReceipt(closedReport, {
            store: terminal.store,
            terminalName: terminal.name,
            cashier: cashier || terminal.name,
            locale,
            printedAt: new Date(base.deps.now()).toISOString(),
          }),
    [closedReport, terminal, cashier, locale],
  );

  return (
    <section className="shift" data-testid="shift-screen">
      <div className="shift-main">
        {closedReport !== null && (
          <div className="shift-card">
            <h1>{t('shiftClosedTitle')}</h1>
            <p className="muted">{t('shiftFromServer')}</p>
            <ShiftReportView report={closedReport} locale={locale} timeZone={timeZone} />
          </div>
        )}
        {liveReport !== null && (
          <div className="shift-card">
            <div className="shift-head">
              <h1>{t('shiftLiveTitle')}</h1>
              <button
                type="button"
                className="secondary small"
                onClick={() => void refreshReport()}
                data-testid="shift-refresh"
              >
                {t('shiftRefresh')}
              </button>
            </div>
            <ShiftReportView report={liveReport} locale={locale} timeZone={timeZone} />
          </div>
        )}
        {closedReport === null && liveReport === null && current === null && (
          <p className="empty">{t('shiftNone')}</p>
        )}
      </div>
      <aside className="shift-side">
        {current === null || current.state === 'opening' ? (
          <AmountForm
            key="open"
            title={closedReport === null ? t('shiftOpenTitle') : t('shiftNextTitle')}
            help={t('shiftOpenHelp')}
            label={t('shiftFloat')}
            button={busy ? t('shiftOpening') : t('shiftOpenButton')}
            busy={busy || current?.state === 'opening'}
            testId="shift-open"
            invalid={t('shiftAmountInvalid')}
            onSubmit={(fen) => void openShift(fen)}
          />
        ) : (
          <AmountForm
            key="close"
            title={t('shiftCloseTitle')}
            help={t('shiftCloseHelp')}
            label={t('shiftCounted')}
            button={busy ? t('shiftClosing') : t('shiftCloseButton')}
            busy={busy || current.state === 'closing'}
            testId="shift-close"
            invalid={t('shiftAmountInvalid')}
            onSubmit={(fen) => void closeShift(fen)}
          />
        )}
        {problem !== null && <ProblemNote problem={problem} t={t} locale={locale} />}
        {receipt !== null && closedReport !== null && (
          <ReceiptPanel
            receipt={receipt}
            receiptKey={`shift:${closedReport.shiftId}`}
            openDrawer={false}
            devices={deviceServices()}
            locale={locale}
            dot={PREVIEW_DOT}
          />
        )}
      </aside>
    </section>
  );
}

/** One amount in yuan, sent as integer fen with Enter. */
function AmountForm(props: {
  readonly title: string;
  readonly help: string;
  readonly label: string;
  readonly button: string;
  readonly busy: boolean;
  readonly testId: string;
  /** What to say when the text is not an amount of yuan. */
  readonly invalid: string;
  readonly onSubmit: (fen: Fen) => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (): void => {
    const parsed = parseYuan(text);
    if (!parsed.ok) return setError(props.invalid);
    setError(null);
    props.onSubmit(parsed.value);
  };
  return (
    <form
      className="shift-form"
      data-testid={props.testId}
      onSubmit={(e) => {
        e.preventDefault();
        if (!props.busy) submit();
      }}
    >
      <h2>{props.title}</h2>
      <p className="help">{props.help}</p>
      <label>
        {props.label}
        <input
          className="money-field"
          inputMode="decimal"
          autoFocus
          // While a request is under way its amount is the one stored and sent again.
          readOnly={props.busy}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="0.00"
          data-testid={`${props.testId}-amount`}
        />
      </label>
      {error !== null && (
        <p className="error" role="alert" data-testid={`${props.testId}-error`}>
          {error}
        </p>
      )}
      <button
        type="submit"
        className="primary big"
        disabled={props.busy}
        data-testid={`${props.testId}-submit`}
      >
        {props.button}
      </button>
    </form>
  );
}

function ProblemNote({
  problem,
  t,
  locale,
}: {
  readonly problem: ShiftProblem;
  readonly t: T;
  readonly locale: Locale;
}) {
  const words =
    problem.kind === 'offline'
      ? t('shiftOffline')
      : t('shiftRefusedBy', { detail: apiFailureMessage(problem.failure, locale) });
  return (
    <div className="shift-problem" role="alert" data-testid="shift-problem">
      <p>{words}</p>
      {problem.kind === 'offline' && (
        <button type="button" className="secondary" onClick={() => void loadShift()}>
          {t('shiftRetry')}
        </button>
      )}
    </div>
  );
}
