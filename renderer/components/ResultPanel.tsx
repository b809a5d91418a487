import { formatFen } from '../../core/money';
import { formatLocalDateTime } from '../../core/time';
import { assertNever } from '../../core/result';
import { useT } from '../i18n/use-t';
import { useNamesStore } from '../state/names-store';
import type { Shown } from '../state/redemption-store';
import { CodeText } from './CodeText';
import { ReasonText } from './ReasonText';
import { useMessageOptions, winnerTill } from './use-message-options';

/** The big, unmistakable answer: green accepted, red refused with the reason in words. */
export function ResultPanel({
  code,
  result,
  size = 'big',
  restoredAt,
}: {
  readonly code: string;
  readonly result: Shown;
  readonly size?: 'big' | 'small';
  /** Shown again after a reload: says so, and when it was. */
  readonly restoredAt?: number;
}) {
  const t = useT();
  const options = useMessageOptions();
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const storeNames = useNamesStore((s) => s.stores);
  const cls = `result result-${size}`;
  const testId = size === 'big' ? 'result' : 'recent-result';
  const restored =
    restoredAt === undefined ? null : (
      <div className="result-restored" data-testid="result-restored">
        {t('lastResultAt', { at: formatLocalDateTime(restoredAt, timeZone) })}
      </div>
    );
  switch (result.kind) {
    case 'checking':
      return (
        <div className={`${cls} info`} data-testid={testId} data-code={code} data-result="checking">
          <div className="result-title">{t('checking')}</div>
          <div className="result-code">
            <CodeText code={code} />
          </div>
          {restored}
        </div>
      );
    case 'used_while_refused':
      return (
        <div
          className={`${cls} bad`}
          data-testid={testId}
          data-code={code}
          data-result="used_while_refused"
        >
          <div className="result-icon" aria-hidden="true">
            !
          </div>
          <div className="result-title">{t('stateUsedWhileRefused')}</div>
          <div className="result-reason">
            {t('usedWhileRefusedHint', { amount: formatFen(result.record.discountFen) })}
          </div>
          <div className="result-code">
            <CodeText code={code} />
          </div>
          {restored}
        </div>
      );
    case 'accepted':
      return (
        <div
          className={`${cls} ok`}
          data-testid={testId}
          data-code={code}
          data-result="accepted"
          data-pending={String(result.pendingSync)}
        >
          <div className="result-icon" aria-hidden="true">
            ✓
          </div>
          <div className="result-title">
            {result.pendingSync ? t('acceptedOffline') : t('accepted')}
          </div>
          <div className="result-amount">
            {t('discountOf', { amount: formatFen(result.discountFen) })}
          </div>
          <div className="result-code">
            <CodeText code={code} />
          </div>
          {restored}
        </div>
      );
    case 'refused':
      return (
        <div
          className={`${cls} bad`}
          data-testid={testId}
          data-code={code}
          data-result="refused"
          data-reason={result.reason.code}
        >
          <div className="result-icon" aria-hidden="true">
            ✕
          </div>
          <div className="result-title">{t('refusedTitle')}</div>
          <div className="result-reason">
            <ReasonText reason={result.reason} />
          </div>
          <div className="result-code">
            <CodeText code={code} />
          </div>
          {restored}
        </div>
      );
    case 'conflict':
      return (
        <div
          className={`${cls} bad`}
          data-testid={testId}
          data-code={code}
          data-result="conflict"
          data-reason={result.outcome.reason.code}
        >
          <div className="result-icon" aria-hidden="true">
            !
          </div>
          <div className="result-title">{t('conflictTitle')}</div>
          <div className="result-reason">
            {result.outcome.winner ? (
              t('winner', {
                at: formatLocalDateTime(Date.parse(result.outcome.winner.at), timeZone),
                store:
                  storeNames.get(result.outcome.winner.storeId) ?? result.outcome.winner.storeId,
                terminal: winnerTill(result.outcome.winner, options),
              })
            ) : (
              <ReasonText reason={result.outcome.reason} />
            )}
          </div>
          <div className="result-code">
            <CodeText code={code} />
          </div>
          {restored}
        </div>
      );
    case 'error':
      return (
        <div
          className={`${cls} bad`}
          data-testid={testId}
          data-code={code}
          data-result="error"
          data-error={result.code}
        >
          <div className="result-icon" aria-hidden="true">
            ✕
          </div>
          <div className="result-title">{t('refusedTitle')}</div>
          <div className="result-reason">
            {result.code === 'QUOTA'
              ? t('errorQuota')
              : result.code === 'STORAGE'
                ? t('errorStorage')
                : t('errorServer', { detail: result.message })}
          </div>
          <div className="result-code">
            <CodeText code={code} />
          </div>
        </div>
      );
    case 'notice':
      return (
        <div className={`${cls} info`} data-testid={testId} data-code={code} data-result="notice">
          <div className="result-reason">{result.message}</div>
        </div>
      );
    default:
      return assertNever(result, 'result');
  }
}
