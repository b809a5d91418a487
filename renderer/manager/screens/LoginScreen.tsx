import { useState, type FormEvent } from 'react';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession } from '../app/session';

/** Username and password (POST /v1/sessions); cashiers are sent back to their till. */
export function LoginScreen() {
  const t = useT();
  const failureText = useFailureText();
  const signIn = useConsoleSession((s) => s.signIn);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api.call('loginPassword', { body: { kind: 'password', username, password } });
    setBusy(false);
    if (!r.ok) return setError(failureText(r));
    if (r.value.user.role === 'cashier') return setError(t('cashierRefused'));
    signIn(r.value);
  }

  return (
    <form className="card login" onSubmit={(e) => void submit(e)}>
      <h1>{t('appName')}</h1>
      <h2>{t('loginTitle')}</h2>
      <p className="help">{t('loginHelp')}</p>
      <label>
        {t('username')}
        <input
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
      </label>
      <label>
        {t('password')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('loggingIn') : t('loginButton')}
      </button>
    </form>
  );
}
