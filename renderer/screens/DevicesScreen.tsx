import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { DeviceId } from '../../core/devices/ids';
import type { Locale } from '../../core/messages/format';
import { AddDeviceForm } from '../components/devices/AddDeviceForm';
import { DeviceList } from '../components/devices/DeviceList';
import { LogsPanel } from '../components/devices/LogsPanel';
import { isPrinterKind } from '../components/devices/device-words';
import { ProblemList } from '../components/devices/ProblemList';
import { ScanPanel } from '../components/devices/ScanPanel';
import { TestPrintPanel } from '../components/devices/TestPrintPanel';
import '../components/devices/devices.css';
import type { DeviceClient } from '../devices/deviceClient';
import type { LogReader } from '../devices/log-reader';
import { translator } from '../i18n/strings';
import { busyKey, createDevicesStore, type DevicesStore } from '../state/devices-store';

export interface DevicesScreenProps {
  readonly client: DeviceClient;
  readonly locale: Locale;
  /** The store's time zone, for scan and retry times. */
  readonly timeZone?: string;
  /**
   * A devices store the app already keeps (and has started) for this client,
   * so other screens share its live status. Without one the screen makes and
   * starts its own for as long as it is shown.
   */
  readonly store?: DevicesStore;
  /** The app's log files (desktop app); null in a browser, which has none to show. */
  readonly logs?: LogReader | null;
}

/**
 * Device settings: scanners and printers with live status, add and remove, test print with its
 * preview, and the app's logs.
 */
export function DevicesScreen({
  client,
  locale,
  timeZone = 'Asia/Shanghai',
  store: given,
  logs = null,
}: DevicesScreenProps) {
  const store = useMemo(() => given ?? createDevicesStore(client), [given, client]);
  useEffect(() => (given === undefined ? store.getState().start() : undefined), [store, given]);

  const t = translator(locale);
  const host = useStore(store, (s) => s.host);
  const devices = useStore(store, (s) => s.devices);
  const defaultPrinterId = useStore(store, (s) => s.defaultPrinterId);
  const configs = useStore(store, (s) => s.configs);
  const ports = useStore(store, (s) => s.ports);
  const lastScan = useStore(store, (s) => s.lastScan);
  const lastTestPrint = useStore(store, (s) => s.lastTestPrint);
  const lastJob = useStore(store, (s) => s.lastJob);
  const problems = useStore(store, (s) => s.problems);
  const busy = useStore(store, (s) => s.busy);
  const actions = store.getState();

  const printers = devices.filter((d) => isPrinterKind(d.kind));
  const [picked, setPicked] = useState<DeviceId | null>(null);
  const [previewColumns, setPreviewColumns] = useState<32 | 48>(48);
  const [printedAt, setPrintedAt] = useState(() => new Date().toISOString());
  // The picked printer while it exists, else the default, else the first one.
  const selected =
    printers.find((p) => p.deviceId === picked)?.deviceId ??
    printers.find((p) => p.deviceId === defaultPrinterId)?.deviceId ??
    printers[0]?.deviceId ??
    null;

  const testPrint = (id: DeviceId): void => {
    setPicked(id);
    setPrintedAt(new Date().toISOString());
    void actions.testPrint(id);
  };

  return (
    <div className="devices" data-testid="devices-screen" data-host={host}>
      <header className="devices-head">
        <div>
          <h1>{t('devicesTitle')}</h1>
          <p className="help">{t('devicesHelp')}</p>
        </div>
        <button
          type="button"
          className="secondary small"
          disabled={busy[busyKey('list')] === true}
          onClick={() => void actions.refresh()}
        >
          {t('refresh')}
        </button>
      </header>

      {host === 'connecting' && <p className="dv-host dv-host-connecting">{t('hostConnecting')}</p>}

      <ProblemList problems={problems} devices={devices} t={t} onDismiss={actions.dismiss} />

      <div className="devices-grid">
        <div className="devices-col">
          <section className="dv-card">
            <h2>{t('configured')}</h2>
            <DeviceList
              devices={devices}
              defaultPrinterId={defaultPrinterId}
              busy={busy}
              t={t}
              timeZone={timeZone}
              known={host === 'ready'}
              onOpen={(id) => void actions.open(id)}
              onClose={(id) => void actions.close(id)}
              onRemove={(id) => void actions.remove(id)}
              onSetDefault={(id) => void actions.setDefault(id)}
              onCheckStatus={(id) => void actions.checkStatus(id)}
              onTestPrint={testPrint}
            />
          </section>
          <ScanPanel scan={lastScan} devices={devices} t={t} timeZone={timeZone} />
          <AddDeviceForm
            t={t}
            takenIds={devices.map((d) => d.deviceId)}
            ports={ports}
            discovering={busy[busyKey('discover')] === true}
            saving={Object.keys(busy).some((k) => k.startsWith('save'))}
            onDiscover={() => void actions.discover()}
            onSave={actions.save}
          />
        </div>
        <div className="devices-col">
          <TestPrintPanel
            printers={printers}
            selected={selected}
            config={selected === null ? undefined : configs[selected]}
            previewColumns={previewColumns}
            printedAt={printedAt}
            lastTestPrint={lastTestPrint}
            lastJob={lastJob}
            busy={selected !== null && busy[busyKey('testPrint', selected)] === true}
            t={t}
            locale={locale}
            onSelect={setPicked}
            onPreviewColumns={setPreviewColumns}
            onPrint={testPrint}
          />
        </div>
      </div>

      <LogsPanel reader={logs} t={t} timeZone={timeZone} />
    </div>
  );
}
