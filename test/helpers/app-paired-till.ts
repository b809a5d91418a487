import { createApiClient, type ApiClient } from '../../renderer/data/api-client';
import type { TillpointDb } from '../../renderer/data/db';
import { browserDeps } from '../../renderer/data/deps';
import { pullChanges } from '../../renderer/data/pull';
import type { TerminalRecord } from '../../renderer/data/records';
import { pairTerminal } from '../../renderer/data/terminal';
import type { DemoData } from './app-server-process';

/**
 * Pairs the renderer's data layer with the demo's first store through `serverUrl` (the server, or
 * a proxy in front of it) and pulls the catalog once, as a till does after pairing.
 */
export async function pairedTill(
  db: TillpointDb,
  serverUrl: string,
  demo: DemoData,
  name: string,
): Promise<{ terminal: TerminalRecord; api: ApiClient }> {
  const pairing = demo.pairingCodes[0];
  if (!pairing) throw new Error('demo.json has no pairing code');
  const paired = await pairTerminal(db, browserDeps, {
    serverUrl,
    pairingCode: pairing.code,
    name,
  });
  if (!paired.ok) throw new Error(paired.failure.message);
  const terminal = paired.terminal;
  const api = createApiClient({
    baseUrl: serverUrl,
    terminalToken: () => terminal.token,
    sessionToken: () => null,
  });
  const pulled = await pullChanges(db, api, browserDeps);
  if (!pulled.ok) throw new Error(pulled.failure.message);
  return { terminal, api };
}
