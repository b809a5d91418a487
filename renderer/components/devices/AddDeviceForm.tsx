import { useState, type FormEvent, type ReactNode } from 'react';
import type { DeviceConfig, DeviceKind, DiscoveredPort } from '../../../core/devices/config';
import type { T } from '../../i18n/strings';
import {
  BAUD_RATES,
  DEVICE_KINDS,
  emptyForm,
  formToConfig,
  hex4,
  newDeviceId,
  withKind,
  withPort,
  type DeviceForm,
  type FormError,
  type FormField,
} from './device-form';
import { kindWords } from './device-words';

export interface AddDeviceFormProps {
  readonly t: T;
  /** Ids already configured, so the new one gets a free id. */
  readonly takenIds: readonly string[];
  readonly ports: readonly DiscoveredPort[] | null;
  readonly discovering: boolean;
  readonly saving: boolean;
  readonly onDiscover: () => void;
  /** Resolves true when the device service saved it. */
  readonly onSave: (device: DeviceConfig) => Promise<boolean>;
}

/** Ports that fit the kind being added. */
function portsFor(kind: DeviceKind, ports: readonly DiscoveredPort[]): DiscoveredPort[] {
  return ports.filter((p) =>
    kind === 'hid_scanner'
      ? p.kind === 'hid_pos'
      : kind === 'usb_printer'
        ? p.kind === 'usb_printer'
        : kind === 'tcp_printer'
          ? false
          : p.kind === 'serial',
  );
}

function portLabel(p: DiscoveredPort): string {
  switch (p.kind) {
    case 'serial':
      return [p.path, p.manufacturer, p.vendorId && `${p.vendorId}:${p.productId ?? ''}`]
        .filter(Boolean)
        .join(' · ');
    case 'hid_pos':
      return [p.product, `${hex4(p.vendorId)}:${hex4(p.productId)}`, p.serialNumber]
        .filter(Boolean)
        .join(' · ');
    case 'usb_printer':
      return p.path;
  }
}

/** Adds a scanner or printer with the fields its link needs; bad input changes nothing. */
export function AddDeviceForm(props: AddDeviceFormProps) {
  const { t } = props;
  const [form, setForm] = useState<DeviceForm>(() => emptyForm('serial_scanner'));
  const [errors, setErrors] = useState<readonly FormError[]>([]);
  const [savedName, setSavedName] = useState<string | null>(null);

  const update = (patch: Partial<DeviceForm>): void => {
    setForm((f) => ({ ...f, ...patch }));
    // A field the manager is fixing stops showing its old error.
    setErrors((es) => es.filter((e) => !(e.field in patch)));
    setSavedName(null);
  };
  const errorOf = (field: FormField): FormError | undefined =>
    errors.find((e) => e.field === field);
  const message = (e: FormError): string => t(e.key, e.values);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const result = formToConfig(form, newDeviceId(form.kind, props.takenIds));
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    if (await props.onSave(result.value)) {
      setSavedName(result.value.name);
      setForm(emptyForm(form.kind));
    }
  };

  const field = (name: FormField, label: string, input: ReactNode, hint?: string): ReactNode => {
    const error = errorOf(name);
    return (
      <label className={error ? 'dv-field has-error' : 'dv-field'}>
        <span>{label}</span>
        {input}
        {hint !== undefined && <small className="muted">{hint}</small>}
        {error && (
          <small className="dv-field-error" data-testid={`form-error-${name}`}>
            {message(error)}
          </small>
        )}
      </label>
    );
  };

  const text = (
    name:
      | 'name'
      | 'path'
      | 'host'
      | 'port'
      | 'vendorId'
      | 'productId'
      | 'serialNumber'
      | 'frameTimeoutMs',
    placeholder?: string,
  ) => (
    <input
      value={form[name]}
      placeholder={placeholder}
      aria-invalid={errorOf(name) !== undefined}
      data-testid={`field-${name}`}
      autoComplete="off"
      spellCheck={false}
      onChange={(e) => update({ [name]: e.target.value })}
    />
  );

  const serial = form.kind === 'serial_scanner' || form.kind === 'serial_printer';
  const printer =
    form.kind === 'serial_printer' || form.kind === 'usb_printer' || form.kind === 'tcp_printer';
  const fitting = props.ports === null ? null : portsFor(form.kind, props.ports);

  return (
    <form className="dv-card dv-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('addDevice')}</h2>
      <fieldset className="dv-kinds">
        <legend>{t('deviceKind')}</legend>
        {DEVICE_KINDS.map((kind) => (
          <label key={kind} className={form.kind === kind ? 'dv-kind active' : 'dv-kind'}>
            <input
              type="radio"
              name="kind"
              value={kind}
              checked={form.kind === kind}
              onChange={() => {
                setForm((f) => withKind(f, kind));
                setErrors([]);
              }}
            />
            {kindWords(kind, t)}
          </label>
        ))}
      </fieldset>

      {errors.length > 0 && (
        <div className="dv-form-errors" role="alert" data-testid="form-errors">
          <strong>{t('formInvalid')}</strong>
          <ul>
            {errors.map((e) => (
              <li key={e.field + e.key}>{message(e)}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="dv-fields">
        {field('name', t('deviceName'), text('name', t('deviceNameHint')))}

        {form.kind !== 'tcp_printer' && (
          <div className="dv-discover">
            <button
              type="button"
              className="small"
              disabled={props.discovering}
              onClick={props.onDiscover}
              data-testid="discover"
            >
              {props.discovering ? t('discovering') : t('discover')}
            </button>
            {fitting !== null &&
              (fitting.length === 0 ? (
                <small className="muted">{t('noPortsFound')}</small>
              ) : (
                <ul className="dv-ports" aria-label={t('discovered')}>
                  {fitting.map((p) => (
                    <li key={portLabel(p)}>
                      <span className="mono">{portLabel(p)}</span>
                      <button
                        type="button"
                        className="small link"
                        onClick={() => update(withPort(form, p))}
                      >
                        {t('pickPort')}
                      </button>
                    </li>
                  ))}
                </ul>
              ))}
          </div>
        )}

        {serial && field('path', t('port'), text('path', t('portHint')))}
        {form.kind === 'usb_printer' && field('path', t('usbPath'), text('path', t('usbPathHint')))}

        {serial && (
          <div className="dv-row4">
            {field(
              'baudRate',
              t('baudRate'),
              <select
                value={form.baudRate}
                onChange={(e) =>
                  update({
                    baudRate: BAUD_RATES.find((b) => String(b) === e.target.value) ?? form.baudRate,
                  })
                }
              >
                {BAUD_RATES.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>,
            )}
            {field(
              'dataBits',
              t('dataBits'),
              <select
                value={form.dataBits}
                onChange={(e) => update({ dataBits: e.target.value === '7' ? 7 : 8 })}
              >
                <option value={8}>8</option>
                <option value={7}>7</option>
              </select>,
            )}
            {field(
              'parity',
              t('parity'),
              <select
                value={form.parity}
                onChange={(e) =>
                  update({
                    parity:
                      e.target.value === 'even'
                        ? 'even'
                        : e.target.value === 'odd'
                          ? 'odd'
                          : 'none',
                  })
                }
              >
                <option value="none">{t('parity_none')}</option>
                <option value="even">{t('parity_even')}</option>
                <option value="odd">{t('parity_odd')}</option>
              </select>,
            )}
            {field(
              'stopBits',
              t('stopBits'),
              <select
                value={form.stopBits}
                onChange={(e) => update({ stopBits: e.target.value === '2' ? 2 : 1 })}
              >
                <option value={1}>1</option>
                <option value={2}>2</option>
              </select>,
            )}
          </div>
        )}

        {form.kind === 'serial_scanner' &&
          field('frameTimeoutMs', t('frameTimeout'), text('frameTimeoutMs'), t('frameTimeoutHint'))}

        {form.kind === 'hid_scanner' && (
          <div className="dv-row4">
            {field('vendorId', t('vendorId'), text('vendorId', '0C2E'))}
            {field('productId', t('productId'), text('productId', '0B61'))}
            {field('serialNumber', t('serialNumber'), text('serialNumber'), t('serialNumberHint'))}
          </div>
        )}

        {form.kind === 'tcp_printer' && (
          <div className="dv-row4">
            {field('host', t('host'), text('host', '192.168.1.50'))}
            {field('port', t('tcpPort'), text('port', '9100'))}
          </div>
        )}

        {printer && (
          <>
            <fieldset className="dv-paper">
              <legend>{t('paperWidth')}</legend>
              {([58, 80] as const).map((w) => (
                <label key={w} className={form.paperWidth === w ? 'dv-kind active' : 'dv-kind'}>
                  <input
                    type="radio"
                    name="paper"
                    checked={form.paperWidth === w}
                    onChange={() => update({ paperWidth: w })}
                  />
                  {t(w === 58 ? 'paper58' : 'paper80')}
                </label>
              ))}
            </fieldset>
            <label className="dv-check">
              <input
                type="checkbox"
                checked={form.cut}
                onChange={(e) => update({ cut: e.target.checked })}
              />
              {t('cut')}
            </label>
            <label className="dv-check">
              <input
                type="checkbox"
                checked={form.kind === 'usb_printer' ? false : form.statusQuery}
                disabled={form.kind === 'usb_printer'}
                onChange={(e) => update({ statusQuery: e.target.checked })}
                data-testid="field-statusQuery"
              />
              {t('statusQuery')}
            </label>
            {form.kind === 'usb_printer' && <small className="muted">{t('statusQueryUsb')}</small>}
          </>
        )}
      </div>

      <div className="dv-form-foot">
        <button type="submit" className="primary" disabled={props.saving} data-testid="save-device">
          {props.saving ? t('saving') : t('save')}
        </button>
        {savedName !== null && (
          <span className="dv-saved" role="status">
            {t('saved', { name: savedName })}
          </span>
        )}
      </div>
    </form>
  );
}
