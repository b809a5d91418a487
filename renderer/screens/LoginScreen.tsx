import { useState, type FormEvent } from 'react';
import { base, terminalServices } from '../app/services';
import { startNewSale } from '../app/checkout-actions';
import { saveSession } from '../data/terminal';
import { apiFailureMessage } from '../i18n/api-errors';
import { useT } from '../i18n/use-t';
import { useSessionStore } from '../state/session-store';

/** A cashier logs in with the PIN of their store. */
export function LoginScreen() {
  const t = useT();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const terminal = useSessionStore((s) => s.terminal);
  const setSession = useSessionStore((s) => s.setSession);
  const setPhase = useSessionStore((s) => s.setPhase);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const services = terminalServices();
    if (!services) return;
    setBusy(true);
    setError(null);
    const login = await services.api.loginWithPin(pin);
    setBusy(false);
    setPin('');
    if (!login.ok) {
      setError(apiFailureMessage(login, useSessionStore.getState().locale));
      return;
    }
    try {
      await saveSession(base.db, login.value);
    } catch (e) {
      base.storage.report(e);
    }
    setSession(login.value);
    startNewSale();
    services.engine.syncNow();
    setPhase('ready');
  };

  return (
    <form className="card narrow" onSubmit={(e) => void submit(e)} data-testid="login-screen">
      <h1>{t('loginTitle')}</h1>
      <p className="help">
        {terminal?.store.name} · {terminal?.name}
      </p>
      <label>
        {t('loginHelp')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          maxLength={8}
          autoFocus
          className="pin-field"
          data-testid="login-pin"
          aria-label={t('pin')}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="primary big"
        disabled={busy || pin.length < 4}
        data-testid="login-submit"
      >
        {busy ? t('loggingIn') : t('loginButton')}
      </button>
    </form>
  );
}
