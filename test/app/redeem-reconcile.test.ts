import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientId, VoucherCode } from '../../core/ids';
import { acceptedOnServer } from '../helpers/app-server-api';
import { pairedTill } from '../helpers/app-paired-till';
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
import { nextToPush, pushAll } from '../../renderer/data/push';
import { createRedeemer } from '../../renderer/data/redeem';
import type { RedemptionRecord, TerminalRecord } from '../../renderer/data/records';
import { settleUnconfirmed } from '../../renderer/data/settle';
import { startSyncEngine, type SyncStatus } from '../../renderer/data/sync-engine';
import { createStorageHealth } from '../../renderer/data/storage-health';

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
  ({ terminal, api } = await pairedTill(db, server.url, demo, 'reconcile test'));
  const lease = await api.allowance(browserDeps.newId());
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
      throw new Error(`unexpected protocol error: ${m.message}`);
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

/** Runs `body` with the terminal's lease expired, so the offline rules refuse every scan. */
async function withLeaseExpired<T>(body: () => Promise<T>): Promise<T> {
  const meta = await db.meta.get('lease');
  if (meta?.key !== 'lease') throw new Error('no lease');
  await db.meta.put({
    key: 'lease',
    lease: { ...meta.lease, expiresAt: new Date(Date.now() - 1).toISOString() },
  });
  try {
    return await body();
  } finally {
    await db.meta.put(meta);
  }
}

/** Two unconfirmed records: one whose request the server committed, one it never received. */
async function twoUnconfirmed(burnedCode: string, unsentCode: string) {
  return withLeaseExpired(async () => {
    const burned = await quick(redeemerVia(answerLost), burnedCode);
    const unsent = await quick(redeemerVia(neverSent), unsentCode);
    const ids = [burned, unsent].map((r) =>
      r.kind === 'refused' && r.record ? r.record.id : ('' as ClientId),
    );
    for (const id of ids) expect((await db.redemptions.get(id))?.state).toBe('unconfirmed');
    return { burnedId: ids[0] as ClientId, unsentId: ids[1] as ClientId };
  });
}

/** How many accepted redemptions of `code` the server holds. */
const acceptedCount = (code: string): number => acceptedOnServer(dataDir).get(code)?.count ?? 0;

describe('settling unconfirmed redemptions with the server', () => {
  it('ends both branches in a final state, never redeeming: used-up is flagged, never-received is refused', async () => {
    const burnedCode = cashCode(3);
    const unsentCode = cashCode(4);
    const { burnedId, unsentId } = await twoUnconfirmed(burnedCode, unsentCode);
    expect(acceptedCount(burnedCode)).toBe(1);
    expect(acceptedCount(unsentCode)).toBe(0);

    let round = await settleUnconfirmed(db, api, browserDeps);
    while (round.kind === 'settled' && round.more)
      round = await settleUnconfirmed(db, api, browserDeps);
    expect(round.kind).toBe('settled');
    expect(await db.redemptions.where('state').equals('unconfirmed').count()).toBe(0);

    // The lost request did arrive: the code is used up while the customer was told "no".
    const burned = await db.redemptions.get(burnedId);
    expect(burned).toMatchObject({
      state: 'synced',
      settled: 'used_while_refused',
      decidedBy: 'server',
      queued: 0,
      unseenConflict: 1,
    });
    expect(burned?.outcome?.status === 'accepted' && burned.outcome.redemptionId).toBe(burnedId);
    // Counted with the conflicts the status bar shows.
    expect(await db.redemptions.where('unseenConflict').equals(1).primaryKeys()).toContain(
      burnedId,
    );

    // The request never arrived: the server now holds a NOT_RECEIVED refusal under its id.
    const unsent = await db.redemptions.get(unsentId);
    expect(unsent).toMatchObject({
      state: 'rejected',
      settled: 'refused',
      decidedBy: 'server',
      queued: 0,
      outcome: { status: 'rejected', reason: { code: 'NOT_RECEIVED' } },
    });

    // Neither is ever pushed, and a late copy of the lost request redeems nothing.
    expect(await pushAll(db, api, browserDeps)).toEqual({ kind: 'empty' });
    const late = await api.redeem((unsent as RedemptionRecord).request);
    expect(late.ok && late.value.outcome).toEqual({
      status: 'rejected',
      reason: { code: 'NOT_RECEIVED' },
    });
    expect(acceptedCount(burnedCode)).toBe(1);
    expect(acceptedCount(unsentCode)).toBe(0);

    // Settled records are final: another round finds nothing to do.
    expect(await settleUnconfirmed(db, api, browserDeps)).toEqual({ kind: 'empty' });
  });

  it('keeps a record unconfirmed while the server cannot be reached, and settles it later', async () => {
    const { burnedId, unsentId } = await twoUnconfirmed(cashCode(5), cashCode(6));
    const down = createApiClient({
      baseUrl: server.url,
      terminalToken: () => terminal.token,
      sessionToken: () => null,
      fetch: neverSent,
    });
    const failed = await settleUnconfirmed(db, down, browserDeps);
    expect(failed).toMatchObject({ kind: 'failed', failure: { offline: true }, count: 0 });
    for (const id of [burnedId, unsentId])
      expect((await db.redemptions.get(id))?.state).toBe('unconfirmed');
    // The first one tried carries the failure; the round stopped there, as the rest would fail too.
    expect((await db.redemptions.get(burnedId))?.lastError).toContain('Cannot reach the server');

    expect(await settleUnconfirmed(db, api, browserDeps)).toMatchObject({
      kind: 'settled',
      count: 2,
      usedWhileRefused: 1,
    });
    expect((await db.redemptions.get(unsentId))?.state).toBe('rejected');
    expect(acceptedCount(cashCode(5))).toBe(1);
    expect(acceptedCount(cashCode(6))).toBe(0);
  });

  it('is done by the sync engine on its own once the queue is drained', async () => {
    const { burnedId, unsentId } = await twoUnconfirmed(cashCode(7), cashCode(8));
    const statuses: SyncStatus[] = [];
    const engine = startSyncEngine({
      db,
      api,
      deps: browserDeps,
      terminal,
      connectivity: createConnectivity(true),
      storage: createStorageHealth(),
      onStatus: (s) => statuses.push(s),
      onProtocolError: (m) => {
        throw new Error(`unexpected protocol error: ${m.message}`);
      },
      pollMs: 1_000,
    });
    try {
      await expect
        .poll(() => db.redemptions.where('state').equals('unconfirmed').count(), {
          timeout: 10_000,
        })
        .toBe(0);
      expect((await db.redemptions.get(burnedId))?.settled).toBe('used_while_refused');
      expect((await db.redemptions.get(unsentId))?.settled).toBe('refused');
      await expect
        .poll(() => statuses.at(-1)?.conflicts ?? 0, { timeout: 5_000 })
        .toBeGreaterThan(0);
    } finally {
      engine.stop();
    }
    expect(acceptedCount(cashCode(7))).toBe(1);
    expect(acceptedCount(cashCode(8))).toBe(0);
  });
});
