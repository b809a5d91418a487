import type { DeviceStatus } from '../../../core/devices/status';
import type { ScanEvent } from '../../../core/devices/scan';
import { formatLocalTime } from '../../../core/receipt/layout';
import type { StringKey, T } from '../../i18n/strings';

/** The last scan any scanner read, so a manager can test a scanner by scanning anything. */
export function ScanPanel({
  scan,
  devices,
  t,
  timeZone,
}: {
  readonly scan: ScanEvent | null;
  readonly devices: readonly DeviceStatus[];
  readonly t: T;
  readonly timeZone: string;
}) {
  if (scan === null) {
    return (
      <section className="dv-card dv-scan" data-testid="last-scan" data-empty="true">
        <h2>{t('lastScan')}</h2>
        <p className="dv-empty">{t('noScanYet')}</p>
      </section>
    );
  }
  const device = devices.find((d) => d.deviceId === scan.source.deviceId);
  const source = t(`source_${scan.source.kind}` satisfies StringKey);
  return (
    <section className="dv-card dv-scan" data-testid="last-scan" data-value={scan.value}>
      <h2>{t('lastScan')}</h2>
      {/* Keyed by time, so the same code scanned twice flashes again. */}
      <div key={scan.at} className="dv-scan-value mono" data-testid="last-scan-value">
        {scan.value}
      </div>
      <dl className="dv-facts">
        <dt>{t('symbology')}</dt>
        <dd>
          {scan.symbology}
          {scan.aim !== null && <span className="mono muted"> {scan.aim}</span>}
        </dd>
        <dt>{t('source')}</dt>
        <dd>
          {source}
          {device !== undefined && ` · ${device.name}`}
        </dd>
        <dt>{t('scannedAt')}</dt>
        <dd>{formatLocalTime(scan.at, timeZone)}</dd>
      </dl>
    </section>
  );
}
