import type { DeviceStatus } from '../../../core/devices/status';
import type { T } from '../../i18n/strings';
import type { DeviceProblem } from '../../state/devices-store';
import { problemWords } from './device-words';

/**
 * Every failure from the device service, in words with what to do, until the
 * manager dismisses it. The service's own message stays visible as the detail:
 * it names the device and the cause (a port path, a host address).
 */
export function ProblemList({
  problems,
  devices,
  t,
  onDismiss,
}: {
  readonly problems: readonly DeviceProblem[];
  readonly devices: readonly DeviceStatus[];
  readonly t: T;
  readonly onDismiss: (id: number) => void;
}) {
  if (problems.length === 0) return null;
  return (
    <section className="dv-problems" role="alert" aria-label={t('problems')}>
      {[...problems].reverse().map((p) => {
        const words = problemWords(p, t);
        const name = devices.find((d) => d.deviceId === p.deviceId)?.name ?? p.deviceId;
        return (
          <div key={p.id} className="dv-problem" data-testid="device-problem" data-code={p.code}>
            <div className="dv-problem-text">
              <strong>
                {name !== null && `${name}: `}
                {words.advice}
              </strong>
              <small>
                {words.during}
                {p.count > 1 && ` (×${p.count})`} · {t('detail')}: {p.message}
              </small>
            </div>
            <button type="button" className="small" onClick={() => onDismiss(p.id)}>
              {t('dismiss')}
            </button>
          </div>
        );
      })}
    </section>
  );
}
