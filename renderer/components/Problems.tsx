import { apiFailureMessage } from '../i18n/api-errors';
import { useT } from '../i18n/use-t';
import { useSessionStore } from '../state/session-store';
import { useSyncStore } from '../state/sync-store';
import { assertNever } from '../../core/result';
import type { StorageProblem } from '../data/storage-health';

/**
 * Storage and protocol problems, in red across the top until they are resolved or dismissed; and
 * network trouble, in amber, only while it lasts (it clears with the next exchange that gets through).
 */
export function Problems() {
  const t = useT();
  const locale = useSessionStore((s) => s.locale);
  const networkTrouble = useSyncStore((s) => s.status?.networkTrouble === true);
  const storage = useSyncStore((s) => s.storageProblem);
  const protocol = useSyncStore((s) => s.protocolError);
  const dismiss = useSyncStore((s) => s.setProtocolError);
  const storageText = (p: StorageProblem): string => {
    switch (p.kind) {
      case 'quota':
        return t('storageQuota');
      case 'nearly_full':
        return t('storageNearlyFull');
      case 'database':
        return t('storageDb', { detail: p.detail });
      default:
        return assertNever(p, 'storage problem');
    }
  };
  if (!storage && !protocol && !networkTrouble) return null;
  return (
    <div className="problems" role="alert">
      {networkTrouble && (
        <p className="problem-network" data-testid="network-problem">
          {t('networkUnstable')}
        </p>
      )}
      {storage && <p data-testid="storage-problem">{storageText(storage)}</p>}
      {protocol && (
        <p data-testid="protocol-problem">
          {apiFailureMessage(protocol, locale)}{' '}
          <button type="button" className="link" onClick={() => dismiss(null)}>
            {t('close')}
          </button>
        </p>
      )}
    </div>
  );
}
