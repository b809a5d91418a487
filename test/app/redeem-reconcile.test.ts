import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientId, VoucherCode } from '../../core/ids';
import { acceptedOnServer } from '../helpers/app-server-api';
import {
  readDemo,
  startServerProcess,
  type DemoData,
  type ServerProcess,
} from '../helpers/app-server-process';
import { createApiClient, type ApiClient } from '../../renderer/data/api-client';
import { createConnectivity } from '../../renderer/data/connectivity';
import { TillpointDb } from '../../renderer/data/db';
import { browserDeps } from '../../renderer/data/deps';
import { pullChanges } from '../../renderer/data/pull';
import { nextToPush, pushAll } from '../../renderer/data/push';
import { createRedeemer } from '../../renderer/data/redeem';
import type { TerminalRecord } from '../../renderer/data/records';
import { createStorageHealth } from '../../renderer/data/storage-health';
import { pairTerminal } from '../../renderer/data/terminal';

/**
 * The timed-out online attempt, against the real sync server: the request arrives and is
 * committed, the answer is lost, the client times out, and the offline rules decide. Whatever
 * they decide, the server must end up with the code redeemed at most once, and the terminal must
 * never claim an outcome it does not know.
 */
let server: ServerProcess;
let demo: DemoData;
let dataDir: string;
let db: TillpointDb;
let terminal: TerminalRecord;
let api: ApiClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tillpoint-reconcile-'));
  server = await startServerProcess(dataDir);
  demo = await readDemo(dataDir);
  db = new TillpointDb('reconcile-test');
  const pairing = demo.pairingCodes[0];
  if (!pairing) throw new Error('demo.json has no pairing code');
  const paired = await pairTerminal(db, browserDeps, {
    serverUrl: server.url,
    pairingCode: pairing.code,
    name: 'reconcile test',
  });
  if (!paired.ok) throw new Error(paired.failure.message);
  terminal = paired.terminal;
  api = createApiClient({
    baseUrl: server.url,
    terminalToken: () => terminal.token,
    sessionToken: () => null,
  });
  const pulled = await pullChanges(db, api, browserDeps);
  if (!pulled.ok) throw new Error(pulled.failure.message);
  const lease = await api.allowance();
  if (!lease.ok) throw new Error(lease.message);
  await db.meta.put({ key: 'lease', lease: lease.value });
});

afterAll(async () => {
  await db?.delete();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Sends the request for real (it arrives and commits), then loses the answer: a timeout. */
const answerLost: typeof fetch = async (input, init) => {
  const signal = init?.signal;
  await fetch(input, { ...init, signal: null });
  return new Promise<Response>((_, reject) => {
    if (signal?.aborted) reject(signal.reason as Error);
    signal?.addEventListener('abort', () => reject(signal.reason as Error));
  });
};

/** The connection fails before anything is sent (from the browser, this looks the same). */
const neverSent: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));

function redeemerVia(fetchImpl: typeof fetch) {
  return createRedeemer({
    db,
    api: createApiClient({
      baseUrl: server.url,
      terminalToken: () => terminal.token,
      sessionToken: () => null,
      timeoutMs: 300,
      fetch: fetchImpl,
    }),
    deps: browserDeps,
    terminal,
    connectivity: createConnectivity(true),
    storage: createStorageHealth(),
    nudgeQueue: () => undefined,
    onProtocolError: (m) => {
      throw new Error(`unexpected protocol error: ${m}`);
    },
  });
}

const quick = (redeemer: ReturnType<typeof redeemerVia>, code: string) =>
  redeemer.redeem({ code: code as VoucherCode, cart: null, saleId: null, companions: [] });

const cashCode = (i: number): string => {
  const code = demo.codes['demo-cash']?.[i];
  if (!code) throw new Error(`no demo cash code #${i}`);
  return code;
};

describe('an online redemption whose answer was lost', () => {
  it('accepted offline: pushed under the same id, and the server answers with what it stored — one redemption', async () => {
    const code = cashCode(0);
    const result = await quick(redeemerVia(answerLost), code);
    expect(result.kind === 'accepted' && result.pendingSync).toBe(true);
    const id = (result.kind === 'accepted' ? result.record.id : '') as ClientId;
    expect((await db.redemptions.get(id))?.state).toBe('pending');

    const round = await pushAll(db, api, browserDeps);
    expect(round).toMatchObject({ kind: 'pushed', count: 1, conflicts: 0 });
    const record = await db.redemptions.get(id);
    expect(record?.state).toBe('synced');
    // The stored outcome of the online attempt (no lease charge, no second redemption).
    expect(record?.outcome?.status === 'accepted' && record.outcome.redemptionId).toBe(id);
    expect(acceptedOnServer(dataDir).get(code)?.count).toBe(1);
  });

  it('refused offline: kept unconfirmed and never pushed, although the server did redeem it', async () => {
    const code = cashCode(1);
    // The terminal's lease has run out, so the offline rules refuse.
    const meta = await db.meta.get('lease');
    if (meta?.key !== 'lease') throw new Error('no lease');
    await db.meta.put({
      key: 'lease',
      lease: { ...meta.lease, expiresAt: new Date(Date.now() - 1).toISOString() },
    });
    try {
      const result = await quick(redeemerVia(answerLost), code);
      expect(result.kind === 'refused' && result.reason).toEqual({
        code: 'OFFLINE_ALLOWANCE_EXCEEDED',
        limit: 'expired',
      });
      const id = (result.kind === 'refused' ? (result.record?.id ?? '') : '') as ClientId;
      // The server accepted the attempt whose answer was lost: the code is burned there…
      expect(acceptedOnServer(dataDir).get(code)?.count).toBe(1);
      // …so calling the record "rejected" would be a guess, and pushing it would be wrong.
      expect(await db.redemptions.get(id)).toMatchObject({ state: 'unconfirmed', queued: 0 });
      expect((await nextToPush(db)).some((r) => r.id === id)).toBe(false);
      expect(await pushAll(db, api, browserDeps)).toEqual({ kind: 'empty' });

      // The same failure, where the request never left: the terminal cannot tell the two apart,
      // so this one is unconfirmed as well, and the server never hears of it.
      const other = cashCode(2);
      const unsent = await quick(redeemerVia(neverSent), other);
      expect(unsent.kind).toBe('refused');
      const unsentId = (unsent.kind === 'refused' ? (unsent.record?.id ?? '') : '') as ClientId;
      expect((await db.redemptions.get(unsentId))?.state).toBe('unconfirmed');
      expect(await pushAll(db, api, browserDeps)).toEqual({ kind: 'empty' });
      expect(acceptedOnServer(dataDir).has(other)).toBe(false);
    } finally {
      await db.meta.put(meta);
    }
  });
});
