import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllowancesPage, Session, StoreAllowance } from '../../core/protocol';
import type { ApiClient } from '../../renderer/data/api-client';
import { createConnectivity } from '../../renderer/data/connectivity';
import { TillpointDb } from '../../renderer/data/db';
import { browserDeps } from '../../renderer/data/deps';
import { pullChanges } from '../../renderer/data/pull';
import type { TerminalRecord } from '../../renderer/data/records';
import { createStorageHealth } from '../../renderer/data/storage-health';
import { createLeaseKeeper } from '../../renderer/data/sync/lease';
import { pairedTill } from '../helpers/app-paired-till';
import {
  readDemo,
  startServerProcess,
  type DemoData,
  type ServerProcess,
} from '../helpers/app-server-process';
import { call } from '../helpers/server-client';

/**
 * A chain manager changes a store's offline allowance in the console: the change reaches the
 * store's till on the change feed, and the till takes a new lease with the new limits at once
 * instead of redeeming under the old ones until its lease is half way to expiry.
 */
let server: ServerProcess;
let demo: DemoData;
let dataDir: string;
let db: TillpointDb;
let terminal: TerminalRecord;
let api: ApiClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tillpoint-allowance-'));
  server = await startServerProcess(dataDir);
  demo = await readDemo(dataDir);
  db = new TillpointDb('allowance-feed-test');
  ({ terminal, api } = await pairedTill(db, server.url, demo, 'allowance test'));
});

afterAll(async () => {
  await db?.delete();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function tillLease() {
  const meta = await db.meta.get('lease');
  return meta?.key === 'lease' ? meta.lease : null;
}

describe('an offline allowance changed in the console', () => {
  it('reaches the till on the feed, and the till renews its lease with the new limits', async () => {
    const ensureLease = createLeaseKeeper({
      db,
      api,
      deps: browserDeps,
      terminal,
      connectivity: createConnectivity(true),
      storage: createStorageHealth(),
      stopped: () => false,
      onFailure: (f) => {
        throw new Error(`lease renewal failed: ${f.code}`);
      },
    });
    expect((await pullChanges(db, api, browserDeps)).ok).toBe(true);
    await ensureLease();
    const first = await tillLease();
    expect(first?.maxCount).toBe(200);
    // Nothing changed: a fresh, unused lease is kept.
    await ensureLease();
    expect((await tillLease())?.leaseId).toBe(first?.leaseId);

    const admin = demo.managers[0];
    if (!admin) throw new Error('the demo has no chain manager');
    const login = await call<Session>(server.url, 'POST', '/v1/sessions', {
      body: { kind: 'password', ...admin },
    });
    const token = login.json.token;
    const page = await call<AllowancesPage>(server.url, 'GET', '/v1/manager/allowances', { token });
    const own = page.json.allowances.find((a) => a.storeId === terminal.store.id);
    const set = await call<StoreAllowance>(
      server.url,
      'POST',
      `/v1/manager/stores/${terminal.store.id}/allowance`,
      {
        token,
        body: {
          offline: { maxCount: 3, maxValueFen: 9_900, hours: 2 },
          version: own?.version,
          requestId: randomUUID(),
        },
      },
    );
    expect(set.status).toBe(200);

    expect((await pullChanges(db, api, browserDeps)).ok).toBe(true);
    expect(await db.meta.get('allowanceChanged')).toEqual({
      key: 'allowanceChanged',
      changedAt: set.json.updatedAt,
    });
    await ensureLease();
    const renewed = await tillLease();
    expect(renewed?.leaseId).not.toBe(first?.leaseId);
    expect(renewed).toMatchObject({ maxCount: 3, maxValueFen: 9_900 });
    // Renewed once: the change is older than the new lease.
    await ensureLease();
    expect((await tillLease())?.leaseId).toBe(renewed?.leaseId);
  });
});
