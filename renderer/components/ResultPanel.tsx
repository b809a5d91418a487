import { formatFen } from '../../core/money';
import { formatLocalDateTime } from '../../core/time';
import { assertNever } from '../../core/result';
import type { RedeemResult } from '../data/redeem';
import { useT } from '../i18n/use-t';
import { useNamesStore } from '../state/names-store';
import { useSessionStore } from '../state/session-store';
import { CodeText } from './CodeText';
import { ReasonText } from './ReasonText';

type Shown = RedeemResult | { readonly kind: 'notice'; readonly message: string };

/** The big, unmistakable answer: green accepted, red refused with the reason in words. */
export function ResultPanel({
  code,
  result,
  size = 'big',
}: {
  readonly code: string;
  readonly result: Shown;
  readonly size?: 'big' | 'small';
}) {
  const t = useT();
  const timeZone = useSessionStore((s) => s.terminal?.store.timeZone ?? 'Asia/Shanghai');
  const storeNames = useNamesStore((s) => s.stores);
  const cls = `result result-${size}`;
  const testId = size === 'big' ? 'result' : 'recent-result';
  switch (result.kind) {
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
                terminal: result.outcome.winner.terminalId,
              })
            ) : (
              <ReasonText reason={result.outcome.reason} />
            )}
          </div>
          <div className="result-code">
            <CodeText code={code} />
          </div>
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
