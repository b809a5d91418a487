import { useCallback, useEffect, useState } from 'react';
import { splitAim, symbologyFromAim } from '../../core/devices/scan';
import { Problems } from '../components/Problems';
import { StatusBar } from '../components/StatusBar';
import { clearSession, loadSession, loadTerminal } from '../data/terminal';
import { logReader } from '../devices/log-reader';
import { useT } from '../i18n/use-t';
import { CheckoutScreen } from '../screens/CheckoutScreen';
import { LoginScreen } from '../screens/LoginScreen';
import { PairScreen } from '../screens/PairScreen';
import { HistoryScreen } from '../screens/HistoryScreen';
import { DevicesScreen } from '../screens/DevicesScreen';
import { QuickRedeemScreen } from '../screens/QuickRedeemScreen';
import { ShiftScreen } from '../screens/ShiftScreen';
import { useSessionStore, type Screen } from '../state/session-store';
import { handleScan } from './actions';
import { startNewSale } from './checkout-actions';
import { startCustomerFeed } from './customer-feed';
import { loadLaunchConfig, pageOriginGuess } from './launch-config';
import { base, deviceServices, startDevices, startTerminal, stopTerminal } from './services';
import { loadShift } from './shift-actions';
import { useCatalogNames } from './use-catalog-names';
import { useWedgeScanner } from './use-wedge-scanner';

/** The preload's logs bridge (cashier window of the desktop app), there from the first script on. */
const logs = logReader();

const SHORTCUTS: Record<string, Screen> = {
  F1: 'checkout',
  F2: 'quick',
  F3: 'queue',
  F4: 'devices',
  F5: 'shift',
};
const TABS = [
  'checkout',
  'quick',
  'queue',
  'devices',
  'shift',
] as const satisfies readonly Screen[];

/** Loads the pairing and session from IndexedDB, then shows the screen the till is at. */
export function App() {
  const phase = useSessionStore((s) => s.phase);
  const locale = useSessionStore((s) => s.locale);
  const [serverUrl, setServerUrl] = useState('');
  const [bootError, setBootError] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const [config, terminal] = await Promise.all([loadLaunchConfig(), loadTerminal(base.db)]);
        startDevices(config.deviceHostUrl);
        if (cancelled) return;
        const configured = config.serverUrl;
        setServerUrl(configured ?? terminal?.serverUrl ?? pageOriginGuess());
        const store = useSessionStore.getState();
        if (!terminal) {
          store.setPhase('pair');
          return;
        }
        startTerminal(terminal, configured);
        store.setTerminal(terminal);
        const session = await loadSession(base.db, base.deps.now());
        if (session) {
          store.setSession(session);
          startNewSale();
          store.setPhase('ready');
        } else store.setPhase('login');
      } catch (error) {
        const problem = base.storage.report(error);
        setBootError(problem.kind === 'database' ? problem.detail : problem.kind);
      }
    })();
    return () => {
      cancelled = true;
      stopTerminal();
    };
  }, []);

  if (bootError) return <BootError detail={bootError} />;
  return (
    <div className="app" data-phase={phase}>
      <Problems />
      {phase === 'loading' && <div className="loading" />}
      {phase === 'pair' && (
        <main className="centered">
          <PairScreen defaultServerUrl={serverUrl} />
        </main>
      )}
      {phase === 'login' && (
        <main className="centered">
          <LoginScreen />
        </main>
      )}
      {phase === 'ready' ? <Till /> : <LanguageSwitch floating />}
    </div>
  );
}

function Till() {
  const t = useT();
  const screen = useSessionStore((s) => s.screen);
  const setScreen = useSessionStore((s) => s.setScreen);
  const session = useSessionStore((s) => s.session);
  const terminal = useSessionStore((s) => s.terminal);
  const locale = useSessionStore((s) => s.locale);
  const devices = deviceServices();
  const onScan = useCallback((text: string) => void handleScan(text), []);
  // On the Devices screen a scan only tests the scanner: it shows as the last scan, nothing more.
  const onWedgeScan = useCallback(
    (text: string) => {
      if (useSessionStore.getState().screen !== 'devices') return onScan(text);
      const { aim, value } = splitAim(text);
      deviceServices()
        ?.store.getState()
        .noteScan({
          value,
          aim,
          symbology: symbologyFromAim(aim),
          source: { kind: 'keyboard', deviceId: null },
          at: new Date(base.deps.now()).toISOString(),
        });
    },
    [onScan],
  );
  useWedgeScanner(onWedgeScan, true);
  useCatalogNames();
  useEffect(() => startCustomerFeed(), []);
  useEffect(() => {
    void loadShift().catch((e: unknown) => base.storage.report(e));
  }, []);

  // Scanners on the device layer take the keyboard-wedge path; this component only exists while
  // a cashier is logged in, so no scan redeems anything before that.
  useEffect(
    () =>
      devices?.client.on('scan', (scan) => {
        if (useSessionStore.getState().screen !== 'devices') onScan(scan.value);
      }),
    [devices, onScan],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = SHORTCUTS[event.key];
      if (target) {
        event.preventDefault();
        setScreen(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setScreen]);

  const logout = async (): Promise<void> => {
    await clearSession(base.db).catch((e: unknown) => base.storage.report(e));
    useSessionStore.getState().setSession(null);
    useSessionStore.getState().setPhase('login');
  };

  return (
    <>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <nav className="tabs">
          {TABS.map((s, i) => (
            <button
              key={s}
              type="button"
              className={screen === s ? 'tab active' : 'tab'}
              aria-current={screen === s ? 'page' : undefined}
              onClick={() => setScreen(s)}
              data-testid={`tab-${s}`}
            >
              {t(s === 'quick' ? 'quickRedeem' : s)} <kbd>F{i + 1}</kbd>
            </button>
          ))}
        </nav>
        <span className="who">
          {terminal?.store.name} · {session?.user.name}
        </span>
        <button
          type="button"
          className="secondary small"
          onClick={() => window.open('?role=customer', 'tillpoint-customer')}
          data-testid="open-customer-display"
        >
          {t('customerDisplayLink')}
        </button>
        <LanguageSwitch floating={false} />
        <button type="button" className="secondary small" onClick={() => void logout()}>
          {t('logout')}
        </button>
      </header>
      <main className="screen">
        {screen === 'checkout' && <CheckoutScreen onScan={onScan} />}
        {screen === 'quick' && <QuickRedeemScreen onScan={onScan} />}
        {screen === 'queue' && <HistoryScreen />}
        {screen === 'shift' && <ShiftScreen />}
        {screen === 'devices' && devices && (
          <DevicesScreen
            client={devices.client}
            store={devices.store}
            logs={logs}
            locale={locale}
            timeZone={terminal?.store.timeZone ?? 'Asia/Shanghai'}
          />
        )}
      </main>
      <StatusBar />
    </>
  );
}

function LanguageSwitch({ floating }: { readonly floating: boolean }) {
  const t = useT();
  const locale = useSessionStore((s) => s.locale);
  const setLocale = useSessionStore((s) => s.setLocale);
  return (
    <button
      type="button"
      className={floating ? 'lang floating secondary small' : 'lang secondary small'}
      onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
      data-testid="language"
    >
      {t('language')}
    </button>
  );
}

function BootError({ detail }: { readonly detail: string }) {
  return (
    <main className="centered">
      <div className="card narrow error" role="alert">
        <h1>本地数据库无法打开 / The local database cannot be opened</h1>
        <p>{detail}</p>
        <p>
          请关闭其他 Tillpoint 窗口后重试，或联系管理员。/ Close other Tillpoint windows and reload,
          or call your administrator.
        </p>
      </div>
    </main>
  );
}
