import { useState } from 'react';
import type { DeviceId } from '../../../core/devices/ids';
import type { DeviceStatus } from '../../../core/devices/status';
import type { T } from '../../i18n/strings';
import { busyKey, type DeviceAction } from '../../state/devices-store';
import { isPrinterKind, kindWords, statusWords } from './device-words';

export interface DeviceListProps {
  readonly devices: readonly DeviceStatus[];
  readonly defaultPrinterId: DeviceId | null;
  readonly busy: Readonly<Record<string, true>>;
  readonly t: T;
  readonly timeZone: string;
  /** False until the device service has answered: an empty list then means nothing. */
  readonly known: boolean;
  readonly onOpen: (id: DeviceId) => void;
  readonly onClose: (id: DeviceId) => void;
  readonly onRemove: (id: DeviceId) => void;
  readonly onSetDefault: (id: DeviceId) => void;
  readonly onCheckStatus: (id: DeviceId) => void;
  readonly onTestPrint: (id: DeviceId) => void;
}

/** Scanners, then printers, each with its status in words and colour and what can be done. */
export function DeviceList(props: DeviceListProps) {
  const { devices, t } = props;
  if (!props.known) return <p className="dv-empty">{t('listUnknown')}</p>;
  if (devices.length === 0) return <p className="dv-empty">{t('noDevices')}</p>;
  const scanners = devices.filter((d) => !isPrinterKind(d.kind));
  const printers = devices.filter((d) => isPrinterKind(d.kind));
  return (
    <div className="dv-groups">
      {scanners.length > 0 && <Group {...props} title={t('scanners')} devices={scanners} />}
      {printers.length > 0 && <Group {...props} title={t('printers')} devices={printers} />}
    </div>
  );
}

function Group(props: DeviceListProps & { readonly title: string }) {
  return (
    <div className="dv-group">
      <h3>{props.title}</h3>
      <ul className="dv-list">
        {props.devices.map((d) => (
          <DeviceRow key={d.deviceId} device={d} {...props} />
        ))}
      </ul>
    </div>
  );
}

function DeviceRow(props: DeviceListProps & { readonly device: DeviceStatus }) {
  const { device, t, busy } = props;
  const [confirming, setConfirming] = useState(false);
  const words = statusWords(device, t, props.timeZone);
  const printer = isPrinterKind(device.kind);
  const isDefault = printer && props.defaultPrinterId === device.deviceId;
  const waiting = (action: DeviceAction): boolean =>
    busy[busyKey(action, device.deviceId)] === true;
  const closed = device.state.state === 'closed';
  return (
    <li
      className={`dv-device tone-${words.tone}`}
      data-testid="device-row"
      data-device-id={device.deviceId}
      data-state={device.state.state}
    >
      <div className="dv-main">
        <span className="dv-name">{device.name}</span>
        {isDefault && <span className="dv-badge">{t('defaultPrinter')}</span>}
        <span className="dv-kindtext">
          {kindWords(device.kind, t)} · <span className="mono">{device.deviceId}</span>
        </span>
      </div>
      <div className="dv-status" role="status" data-testid="device-status">
        <span className={`dv-pill tone-${words.tone}`}>
          <span className="dot" aria-hidden="true" />
          {words.label}
        </span>
        {words.notes.map((n, i) => (
          <span key={i} className={`dv-note tone-${n.tone}`}>
            {n.text}
          </span>
        ))}
      </div>
      <div className="dv-actions">
        {confirming ? (
          <>
            <button
              type="button"
              className="small danger"
              disabled={waiting('remove')}
              onClick={() => {
                setConfirming(false);
                props.onRemove(device.deviceId);
              }}
            >
              {t('confirmRemove', { name: device.name })}
            </button>
            <button type="button" className="small" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </>
        ) : (
          <>
            {printer && (
              <button
                type="button"
                className="small primary"
                disabled={waiting('testPrint') || closed}
                onClick={() => props.onTestPrint(device.deviceId)}
                data-testid="test-print"
              >
                {waiting('testPrint') ? t('working') : t('testPrint')}
              </button>
            )}
            {printer && !isDefault && (
              <button
                type="button"
                className="small"
                disabled={waiting('default')}
                onClick={() => props.onSetDefault(device.deviceId)}
              >
                {t('setDefault')}
              </button>
            )}
            {printer && device.kind !== 'usb_printer' && device.state.state === 'online' && (
              <button
                type="button"
                className="small"
                disabled={waiting('status')}
                onClick={() => props.onCheckStatus(device.deviceId)}
              >
                {t('checkStatus')}
              </button>
            )}
            {closed ? (
              <button
                type="button"
                className="small"
                disabled={waiting('open')}
                onClick={() => props.onOpen(device.deviceId)}
              >
                {t('open')}
              </button>
            ) : (
              <button
                type="button"
                className="small"
                disabled={waiting('close')}
                onClick={() => props.onClose(device.deviceId)}
              >
                {t('close')}
              </button>
            )}
            <button
              type="button"
              className="small link-danger"
              onClick={() => setConfirming(true)}
              data-testid="remove-device"
            >
              {t('remove')}
            </button>
          </>
        )}
      </div>
    </li>
  );
}
