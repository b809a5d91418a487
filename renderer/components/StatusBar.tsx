import { formatFen } from '../../core/money';
import { formatLocalDateTime } from '../../core/time';
import { useT } from '../i18n/use-t';
import { useSessionStore } from '../state/session-store';
import { useSyncStore } from '../state/sync-store';

/** Always visible: is the till online, what waits to sync, how much may still be done offline. */
export function StatusBar() {
  const t = useT();
  const status = useSyncStore((s) => s.status);
  const timeZone = useSessionStore((s) => s.terminal?.store.timeZone ?? 'Asia/Shanghai');
  const setScreen = useSessionStore((s) => s.setScreen);
  if (status === null) {
    return (
      <button type="button" className="status-bar" data-testid="status-bar" disabled>
        <span className="status-item">{t('statusLoading')}</span>
      </button>
    );
  }
  const allowance = status.allowance;
  return (
    <button
      type="button"
      className={`status-bar ${status.online ? 'is-online' : 'is-offline'}`}
      data-testid="status-bar"
      onClick={() => setScreen('queue')}
    >
      <span className="status-item status-connection" data-testid="status-online">
        <span className="dot" aria-hidden="true" />
        {status.online ? t('online') : t('offline')}
      </span>
      <span className="status-item">
        {t('lastSync')}:{' '}
        <b data-testid="status-last-sync">
          {status.lastSyncAt === null
            ? t('never')
            : formatLocalDateTime(status.lastSyncAt, timeZone)}
        </b>
      </span>
      <span className="status-item">
        {t('queued')}: <b data-testid="status-queued">{status.queued}</b>
      </span>
      <span className="status-item" data-testid="status-allowance">
        {t('allowance')}:{' '}
        <b>
          {allowance
            ? t('allowanceLeft', {
                count: allowance.count,
                value: formatFen(allowance.valueFen),
                expires: formatLocalDateTime(Date.parse(allowance.expiresAt), timeZone),
              })
            : t('allowanceNone')}
        </b>
      </span>
      <span className={`status-item ${status.conflicts > 0 ? 'has-conflicts' : ''}`}>
        {t('conflicts')}: <b data-testid="status-conflicts">{status.conflicts}</b>
      </span>
    </button>
  );
}
