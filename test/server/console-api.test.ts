import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, BatchesPage, BatchRow, StoresPage } from '../../core/protocol';
import { Batch } from '../../core/vouchers';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import { call, loginManager } from '../helpers/server-client';

/** A 满100减20 batch for one region, the manager console's everyday batch. */
function regionBatch(id: string, group: string): Batch {
  return Batch.parse({
    id,
    name: `满100减20 ${id}`,
    benefit: { kind: 'threshold', thresholdFen: 10_000, valueFen: 2_000 },
    state: 'active',
    validity: {
      type: 'fixed',
      from: '2020-01-01T00:00:00.000Z',
      until: '2099-01-01T00:00:00.000Z',
    },
    windows: [{ weekdays: [1, 2, 3, 4, 5], startMinute: 600, endMinute: 1_320 }],
    items: { skus: [], categories: [] },
    minSpendFen: 0,
    stores: { type: 'listed', storeIds: [], groupIds: [group] },
    memberTiers: [],
    stacking: 'other_kinds',
    withMemberDiscount: true,
    perOrderLimit: 1,
    perCustomerDailyLimit: null,
    dailyCap: null,
  });
}

describe.each(DRIVERS)('console API on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  let storeManager: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    admin = await loginManager(server, 0);
    storeManager = await loginManager(server, 1);
    const created = await call(server.url, 'POST', '/v1/manager/batches', {
      token: admin,
      body: regionBatch('south-100-20', 'south'),
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => server.close());

  it('lists batches with their version and code counts, filtered by kind, state and text', async () => {
    const all = await call<BatchesPage>(server.url, 'GET', '/v1/manager/batches?limit=200', {
      token: admin,
    });
    expect(all.status).toBe(200);
    const ours = all.json.batches.find((r) => r.batch.id === 'south-100-20');
    expect(ours).toMatchObject({ version: 1, issued: 0, redeemed: 0, updatedBy: 'admin' });
    const demoIssued = all.json.batches.filter((r) => r.issued > 0);
    expect(demoIssued.length).toBeGreaterThan(0);

    const thresholds = await call<BatchesPage>(
      server.url,
      'GET',
      '/v1/manager/batches?kind=threshold&q=south-100',
      { token: admin },
    );
    expect(thresholds.json.batches.map((r) => r.batch.id)).toEqual(['south-100-20']);
    const paused = await call<BatchesPage>(server.url, 'GET', '/v1/manager/batches?state=paused', {
      token: admin,
    });
    expect(paused.json.batches).toEqual([]);
  });

  it('pages batches with a cursor, every batch once', async () => {
    const seen: string[] = [];
    let after: string | null = '';
    while (after !== null) {
      const page: { json: BatchesPage } = await call<BatchesPage>(
        server.url,
        'GET',
        `/v1/manager/batches?limit=2${after ? `&after=${after}` : ''}`,
        { token: admin },
      );
      expect(page.json.batches.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.batches.map((r) => r.batch.id));
      after = page.json.next;
    }
    const all = await call<BatchesPage>(server.url, 'GET', '/v1/manager/batches?limit=200', {
      token: admin,
    });
    expect(seen).toEqual(all.json.batches.map((r) => r.batch.id));
  });

  it('shows a store manager only the batches their store may redeem, and none to edit', async () => {
    const mine = await call<BatchesPage>(server.url, 'GET', '/v1/manager/batches?limit=200', {
      token: storeManager,
    });
    expect(mine.status).toBe(200);
    const ids = mine.json.batches.map((r) => r.batch.id);
    expect(ids).not.toContain('south-100-20');
    for (const r of mine.json.batches) {
      const s = r.batch.stores;
      expect(
        s.type === 'all' ||
          s.storeIds.includes('sh-001' as never) ||
          s.groupIds.includes('east' as never),
      ).toBe(true);
    }
    const other = await call<ApiError>(server.url, 'GET', '/v1/manager/batches/south-100-20', {
      token: storeManager,
    });
    expect(other.status).toBe(403);
    const otherStore = await call<ApiError>(
      server.url,
      'GET',
      '/v1/manager/batches?storeId=gz-001',
      { token: storeManager },
    );
    expect(otherStore.status).toBe(403);
    const edit = await call<ApiError>(server.url, 'POST', '/v1/manager/batches/south-100-20', {
      token: storeManager,
      body: { batch: regionBatch('south-100-20', 'south'), version: 1, requestId: uuidv7() },
    });
    expect(edit.status).toBe(403);
  });

  it('refuses the second of two edits made on one version, naming who changed it and when', async () => {
    const first = await call<BatchRow>(server.url, 'POST', '/v1/manager/batches/south-100-20', {
      token: admin,
      body: {
        batch: { ...regionBatch('south-100-20', 'south'), name: '满100减20 华南' },
        version: 1,
        requestId: uuidv7(),
      },
    });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ version: 2, updatedBy: 'admin' });
    const second = await call<ApiError>(server.url, 'POST', '/v1/manager/batches/south-100-20', {
      token: admin,
      body: { batch: regionBatch('south-100-20', 'south'), version: 1, requestId: uuidv7() },
    });
    expect(second.status).toBe(409);
    expect(second.json.code).toBe('VERSION_CONFLICT');
    expect(second.json.message).toContain('changed by admin at');
    const now = await call<BatchRow>(server.url, 'GET', '/v1/manager/batches/south-100-20', {
      token: admin,
    });
    expect(now.json.batch.name).toBe('满100减20 华南');
  });

  it('answers a retried save with the batch it stored, not a conflict with itself', async () => {
    const requestId = uuidv7();
    const body = {
      batch: { ...regionBatch('south-100-20', 'south'), minSpendFen: 5_000 },
      version: 2,
      requestId,
    };
    const saved = await call<BatchRow>(server.url, 'POST', '/v1/manager/batches/south-100-20', {
      token: admin,
      body,
    });
    const retried = await call<BatchRow>(server.url, 'POST', '/v1/manager/batches/south-100-20', {
      token: admin,
      body,
    });
    expect(saved.status).toBe(200);
    expect(retried.status).toBe(200);
    expect(retried.json.version).toBe(saved.json.version);
    const audits = await server.db.rows<{ n: number }>(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'batch.updated' AND subject = 'batch:south-100-20'",
    );
    expect(Number(audits[0]?.n)).toBe(2);
  });

  it('keeps the state out of an edit and records a pause with its reason', async () => {
    const paused = await call<Batch>(server.url, 'POST', '/v1/manager/batches/south-100-20/state', {
      token: admin,
      body: { state: 'paused', reason: '门店装修' },
    });
    expect(paused.status).toBe(200);
    const row = await call<BatchRow>(server.url, 'GET', '/v1/manager/batches/south-100-20', {
      token: admin,
    });
    const edit = await call<BatchRow>(server.url, 'POST', '/v1/manager/batches/south-100-20', {
      token: admin,
      body: {
        batch: { ...row.json.batch, state: 'active' },
        version: row.json.version,
        requestId: uuidv7(),
      },
    });
    expect(edit.json.batch.state).toBe('paused');
    const audit = await server.db.rows<{ after: string }>(
      "SELECT after FROM audit_log WHERE action = 'batch.paused' AND subject = 'batch:south-100-20'",
    );
    expect(JSON.parse(audit[0]?.after ?? '{}')).toEqual({ state: 'paused', reason: '门店装修' });
  });

  it('lists stores with their offline settings and groups; a store manager gets their own', async () => {
    const all = await call<StoresPage>(server.url, 'GET', '/v1/manager/stores', { token: admin });
    expect(all.json.stores.map((s) => s.id)).toEqual(['gz-001', 'hz-001', 'sh-001', 'sz-001']);
    expect(all.json.groups.map((g) => g.id)).toEqual(['east', 'south']);
    const mine = await call<StoresPage>(server.url, 'GET', '/v1/manager/stores', {
      token: storeManager,
    });
    expect(mine.json.stores.map((s) => s.id)).toEqual(['sh-001']);
    expect(mine.json.groups.map((g) => g.id)).toEqual(['east']);
    const paged = await call<StoresPage>(server.url, 'GET', '/v1/manager/stores?limit=3', {
      token: admin,
    });
    expect(paged.json.next).toBe('sh-001');
  });
});

describe('the console page', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    // A build's shape (manager/index.html and the shared assets/), written here for the test.
    dir = mkdtempSync(join(tmpdir(), 'tillpoint-console-'));
    mkdirSync(join(dir, 'manager'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'manager', 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'manager-abc.js'), 'console.log(1)');
    server = await startTestServer('sqlite', { consoleDir: dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the console at /manager/ with a strict content security policy', async () => {
    const page = await fetch(`${server.url}/manager/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="root"');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('answers every console route with the page, and the assets from the build', async () => {
    const deep = await fetch(`${server.url}/manager/batches/x`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('id="root"');
    const asset = await fetch(`${server.url}/manager/assets/manager-abc.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${server.url}/manager/assets/nope.js`);
    expect(missing.status).toBe(404);
  });
});
