import type { ReactNode } from 'react';
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
  withCode = true,
}: {
  readonly code: string;
  readonly result: Shown;
  readonly size?: 'big' | 'small';
  /** Shown again after a reload: says so, and when it was. */
  readonly restoredAt?: number;
  /** False where the row beside it already names the code (the checkout's voucher list). */
  readonly withCode?: boolean;
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
  /** One result's frame: the tone, what it is for tests and benches, an icon, a title, the code. */
  const frame = (
    tone: 'ok' | 'bad' | 'info',
    kind: Shown['kind'],
    parts: {
      readonly attrs?: Readonly<Record<string, string>>;
      readonly icon?: string;
      readonly title?: ReactNode;
      readonly body?: ReactNode;
      readonly withRestored?: boolean;
    },
  ) => (
    <div
      className={`${cls} ${tone}`}
      data-testid={testId}
      data-code={code}
      data-result={kind}
      {...parts.attrs}
    >
      {parts.icon === undefined ? null : (
        <div className="result-icon" aria-hidden="true">
          {parts.icon}
        </div>
      )}
      {parts.title === undefined ? null : <div className="result-title">{parts.title}</div>}
      {parts.body}
      {withCode && (
        <div className="result-code">
          <CodeText code={code} />
        </div>
      )}
      {parts.withRestored === false ? null : restored}
    </div>
  );
  const reason = (content: ReactNode) => <div className="result-reason">{content}</div>;
  switch (result.kind) {
    case 'checking':
      return frame('info', 'checking', { title: t('checking') });
    case 'used_while_refused':
      return frame('bad', 'used_while_refused', {
        icon: '!',
        title: t('stateUsedWhileRefused'),
        body: reason(t('usedWhileRefusedHint', { amount: formatFen(result.record.discountFen) })),
      });
    case 'accepted':
      return frame('ok', 'accepted', {
        attrs: { 'data-pending': String(result.pendingSync) },
        icon: '✓',
        title: result.pendingSync ? t('acceptedOffline') : t('accepted'),
        body: (
          <div className="result-amount">
            {t('discountOf', { amount: formatFen(result.discountFen) })}
          </div>
        ),
      });
    case 'refused':
      return frame('bad', 'refused', {
        attrs: { 'data-reason': result.reason.code },
        icon: '✕',
        title: t('refusedTitle'),
        body: reason(<ReasonText reason={result.reason} />),
      });
    case 'conflict': {
      const { winner } = result.outcome;
      return frame('bad', 'conflict', {
        attrs: { 'data-reason': result.outcome.reason.code },
        icon: '!',
        title: t('conflictTitle'),
        body: reason(
          winner ? (
            t('winner', {
              at: formatLocalDateTime(Date.parse(winner.at), timeZone),
              store: storeNames.get(winner.storeId) ?? winner.storeId,
              terminal: winnerTill(winner, options),
            })
          ) : (
            <ReasonText reason={result.outcome.reason} />
          ),
        ),
      });
    }
    case 'error':
      return frame('bad', 'error', {
        attrs: { 'data-error': result.code },
        icon: '✕',
        title: t('refusedTitle'),
        body: reason(
          result.code === 'QUOTA'
            ? t('errorQuota')
            : result.code === 'STORAGE'
              ? t('errorStorage')
              : t('errorServer', { detail: result.message }),
        ),
        withRestored: false,
      });
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
