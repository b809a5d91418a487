import { useState, type FormEvent } from 'react';
import { base, startTerminal } from '../app/services';
import { pairTerminal } from '../data/terminal';
import { PairingCode } from '../../core/protocol';
import { apiFailureMessage } from '../i18n/api-errors';
import { useT } from '../i18n/use-t';
import { useSessionStore } from '../state/session-store';

/** First run: pair this browser profile with a store using a manager's one-time code. */
export function PairScreen({ defaultServerUrl }: { readonly defaultServerUrl: string }) {
  const t = useT();
  const [serverUrl, setServerUrl] = useState(defaultServerUrl);
  const [code, setCode] = useState('');
  const [name, setName] = useState('Till 1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const setTerminal = useSessionStore((s) => s.setTerminal);
  const setPhase = useSessionStore((s) => s.setPhase);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    if (!PairingCode.safeParse(code).success) {
      setError(t('pairCodeFormat'));
      return;
    }
    setBusy(true);
    try {
      const paired = await pairTerminal(base.db, base.deps, { serverUrl, pairingCode: code, name });
      if (!paired.ok) {
        setError(apiFailureMessage(paired.failure, useSessionStore.getState().locale));
        return;
      }
      startTerminal(paired.terminal, null);
      setTerminal(paired.terminal);
      setPhase('login');
    } catch (e) {
      setError(describeFailure(base.storage.report(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card narrow" onSubmit={(e) => void submit(e)} data-testid="pair-screen">
      <h1>{t('pairTitle')}</h1>
      <p className="help">{t('pairHelp')}</p>
      <label>
        {t('serverUrl')}
        <input
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
          data-testid="pair-server"
          required
        />
      </label>
      <label>
        {t('pairingCode')}
        <input
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          data-testid="pair-code"
          autoFocus
          required
          maxLength={8}
          className="code-field"
          autoComplete="off"
        />
      </label>
      <label>
        {t('terminalName')}
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="pair-name"
          required
          maxLength={64}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="pair-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary big" disabled={busy} data-testid="pair-submit">
        {busy ? t('pairing') : t('pairButton')}
      </button>
    </form>
  );
}

function describeFailure(problem: { kind: string; detail?: string }): string {
  return problem.detail ?? problem.kind;
}
