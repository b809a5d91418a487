import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoucherCode } from '../../core/ids';
import { TerminalList } from '../../core/protocol';
import { createApiClient, type ApiClient } from '../../renderer/data/api-client';
import { createConnectivity } from '../../renderer/data/connectivity';
import { TillpointDb } from '../../renderer/data/db';
import { browserDeps } from '../../renderer/data/deps';
import { pullChanges } from '../../renderer/data/pull';
import { queueDepth } from '../../renderer/data/queue-depth';
import { createRedeemer } from '../../renderer/data/redeem';
import type { TerminalRecord } from '../../renderer/data/records';
import { createStorageHealth } from '../../renderer/data/storage-health';
import { startSyncEngine } from '../../renderer/data/sync-engine';
import { pairedTill } from '../helpers/app-paired-till';
import {
  readDemo,
  startServerProcess,
  type DemoData,
  type ServerProcess,
} from '../helpers/app-server-process';

/**
 * A till's queue depth as the server sees it: the drainer counts the queue and the calls it
 * makes anyway carry the count (X-Till-Queue); the real server shows it per terminal in
 * /metrics and the terminals list.
 */
let server: ServerProcess;
let demo: DemoData;
let dataDir: string;
let db: TillpointDb;
let terminal: TerminalRecord;
let api: ApiClient;
let manager: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tillpoint-queue-depth-'));
  server = await startServerProcess(dataDir);
  demo = await readDemo(dataDir);
  db = new TillpointDb('queue-depth-test');
  ({ terminal, api } = await pairedTill(db, server.url, demo, 'queue depth test'));
  const lease = await api.allowance(browserDeps.newId());
  if (!lease.ok) throw new Error(lease.message);
  await db.meta.put({ key: 'lease', lease: lease.value });
  const login = await fetch(`${server.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'password', ...demo.managers[0] }),
  });
  manager = ((await login.json()) as { token: string }).token;
}, 60_000);

afterAll(async () => {
  await db?.delete();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The till's series in /metrics: kind → value (absent kinds missing). */
async function depthInMetrics(): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const found: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^tillpoint_till_queue_depth\{([^}]*)\} (\d+)$/.exec(line);
    if (!m?.[1] || !m[1].includes(`terminal="${terminal.terminalId}"`)) continue;
    expect(m[1]).toContain(`store="${terminal.store.id}"`);
    const kind = /kind="(\w+)"/.exec(m[1])?.[1] ?? '?';
    found[kind] = Number(m[2]);
  }
  return found;
}

async function listedQueue() {
  const r = await fetch(`${server.url}/v1/manager/terminals`, {
    headers: { authorization: `Bearer ${manager}` },
  });
  const list = TerminalList.parse(await r.json());
  return list.terminals.find((t) => t.id === terminal.terminalId)?.queue;
}

const neverSent: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));

/** Three redemptions accepted offline under the lease: pending in the queue. */
async function queueThree(): Promise<void> {
  const redeemer = createRedeemer({
    db,
    api: createApiClient({
      baseUrl: server.url,
      terminalToken: () => terminal.token,
      sessionToken: () => null,
      fetch: neverSent,
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
  for (let i = 0; i < 3; i += 1) {
    const code = demo.codes['demo-cash']?.[i];
    if (!code) throw new Error(`no demo cash code #${i}`);
    const result = await redeemer.redeem({
      code: code as VoucherCode,
      cart: null,
      saleId: null,
      companions: [],
    });
    expect(result.kind === 'accepted' && result.pendingSync).toBe(true);
  }
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('queue depth reported by a till', () => {
  it('reaches /metrics and the terminals list with the calls the till makes anyway', async () => {
    expect(await depthInMetrics()).toEqual({});
    expect(await listedQueue()).toBeUndefined();

    await queueThree();
    expect(await queueDepth(db)).toEqual({ redemptions: 3, sales: 0 });
    api.reportQueue(await queueDepth(db));
    const pulled = await pullChanges(db, api, browserDeps);
    expect(pulled.ok).toBe(true);
    expect(await depthInMetrics()).toEqual({ redemptions: 3, sales: 0 });
    expect(await listedQueue()).toMatchObject({ redemptions: 3, sales: 0 });

    // A malformed figure is not taken, and costs the till nothing: its pull is answered.
    const garbled = createApiClient({
      baseUrl: server.url,
      terminalToken: () => terminal.token,
      sessionToken: () => null,
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), 'X-Till-Queue': 'lots' },
        }),
    });
    expect((await pullChanges(db, garbled, browserDeps)).ok).toBe(true);
    expect(await depthInMetrics()).toEqual({ redemptions: 3, sales: 0 });
  });

  it('falls to zero once the drainer has pushed the queue', async () => {
    const sent: { url: string; queue: string | null }[] = [];
    const watched = createApiClient({
      baseUrl: server.url,
      terminalToken: () => terminal.token,
      sessionToken: () => null,
      fetch: (input, init) => {
        const headers = (init?.headers ?? {}) as Record<string, string>;
        sent.push({ url: String(input), queue: headers['X-Till-Queue'] ?? null });
        return fetch(input, init);
      },
    });
    const engine = startSyncEngine({
      db,
      api: watched,
      deps: browserDeps,
      terminal,
      connectivity: createConnectivity(true),
      storage: createStorageHealth(),
      pollMs: 300,
      onStatus: () => undefined,
      onProtocolError: (p) => {
        throw new Error(`unexpected protocol error: ${p.message}`);
      },
    });
    try {
      await until(async () => (await queueDepth(db)).redemptions === 0, 'the queue to drain');
      await until(async () => (await depthInMetrics())['redemptions'] === 0, 'a report of 0');
    } finally {
      engine.stop();
    }
    // The push itself said what was queued when it left.
    const push = sent.find((s) => s.url.endsWith('/v1/redemptions/batch'));
    expect(push?.queue).toBe('redemptions=3,sales=0');
    expect(await depthInMetrics()).toEqual({ redemptions: 0, sales: 0 });
    expect(await listedQueue()).toMatchObject({ redemptions: 0, sales: 0 });
  }, 30_000);

  it('drops the series of a till once it is unpaired', async () => {
    const r = await fetch(`${server.url}/v1/manager/terminals/${terminal.terminalId}/unpair`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(200);
    expect(await depthInMetrics()).toEqual({});
    expect(await listedQueue()).toBeUndefined();
  });
});
