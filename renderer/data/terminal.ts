import type { Session } from '../../core/protocol/index';
import { createApiClient, normaliseServerUrl, type ApiFailure } from './api-client';
import type { TillpointDb } from './db';
import type { Deps } from './deps';
import type { TerminalRecord } from './records';

/** The pairing this browser profile holds, if any. */
export async function loadTerminal(db: TillpointDb): Promise<TerminalRecord | null> {
  const meta = await db.meta.get('terminal');
  return meta?.key === 'terminal' ? meta : null;
}

/** The logged-in cashier, kept across reloads (the server may be down when the page reloads). */
export async function loadSession(db: TillpointDb, nowMs: number): Promise<Session | null> {
  const meta = await db.meta.get('session');
  if (meta?.key !== 'session') return null;
  return Date.parse(meta.session.expiresAt) > nowMs ? meta.session : null;
}

export type PairOutcome =
  | { readonly ok: true; readonly terminal: TerminalRecord }
  | { readonly ok: false; readonly failure: ApiFailure };

/**
 * Pairs with a manager's one-time code. The token is stored before this returns: it is shown
 * once by the server, so losing it would cost a new pairing code.
 */
export async function pairTerminal(
  db: TillpointDb,
  deps: Deps,
  input: { serverUrl: string; pairingCode: string; name: string },
): Promise<PairOutcome> {
  const serverUrl = normaliseServerUrl(input.serverUrl);
  const api = createApiClient({
    baseUrl: serverUrl,
    terminalToken: () => null,
    sessionToken: () => null,
  });
  const paired = await api.pair({
    pairingCode: input.pairingCode.trim().toUpperCase(),
    name: input.name,
  });
  if (!paired.ok) return { ok: false, failure: paired };
  const terminal: TerminalRecord = {
    key: 'terminal',
    serverUrl,
    terminalId: paired.value.terminalId,
    token: paired.value.token,
    store: paired.value.store,
    codePublicKey: paired.value.codePublicKey,
    name: input.name,
    pairedAt: deps.now(),
  };
  await db.meta.put(terminal);
  return { ok: true, terminal };
}

export async function saveSession(db: TillpointDb, session: Session): Promise<void> {
  await db.meta.put({ key: 'session', session });
}

export async function clearSession(db: TillpointDb): Promise<void> {
  await db.meta.delete('session');
}
