import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AllowancesPage,
  ApiError,
  AuditPage,
  ChangesPage,
  ImportProductsCsvResponse,
  ProductsPage,
  StoreAllowance,
  TerminalList,
  UserRow,
  UsersPage,
} from '../../core/protocol';
import {
  DRIVERS,
  snapshotDatabase as snapshot,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import {
  call,
  loginManager,
  pairTerminal,
  takeLease,
  type PairedTerminal,
} from '../helpers/server-client';

describe.each(DRIVERS)('staff, products import and allowance API on %s', (driver) => {
  let server: TestServer;
  let chain: string;
  let storeManager: string;

  const get = <T>(path: string, token: string) => call<T>(server.url, 'GET', path, { token });
  const post = <T>(path: string, token: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token, body });
  const pinLogin = (till: PairedTerminal, pin: string) =>
    call(server.url, 'POST', '/v1/sessions/pin', { token: till.token, body: { kind: 'pin', pin } });
  async function userRow(id: string): Promise<UserRow> {
    const page = await get<UsersPage>('/v1/manager/users?limit=500', chain);
    const row = page.json.users.find((u) => u.id === id);
    if (!row) throw new Error(`no user ${id}`);
    return row;
  }

  beforeAll(async () => {
    server = await startTestServer(driver);
    chain = await loginManager(server, 0);
    storeManager = await loginManager(server, 1);
  });
  afterAll(() => server.close());

  it("refuses a store manager another store's staff and tills (403), and lists their own", async () => {
    const own = await get<UsersPage>('/v1/manager/users', storeManager);
    expect(own.status).toBe(200);
    expect(new Set(own.json.users.map((u) => u.storeId))).toEqual(new Set(['sh-001']));
    expect(own.json.users.map((u) => u.id)).toContain('cashier-sh-001');

    const other = await get<ApiError>('/v1/manager/users?storeId=hz-001', storeManager);
    expect(other.status).toBe(403);
    const hzCashier = await userRow('cashier-hz-001');
    const before = await snapshot(server);
    const reset = await post<ApiError>('/v1/manager/users/cashier-hz-001/pin', storeManager, {
      pin: '5555',
      version: hzCashier.version,
      requestId: randomUUID(),
    });
    expect(reset.status).toBe(403);
    const disable = await post<ApiError>('/v1/manager/users/cashier-hz-001/disable', storeManager, {
      version: hzCashier.version,
      requestId: randomUUID(),
    });
    expect(disable.status).toBe(403);
    expect((await get('/v1/manager/terminals?storeId=hz-001', storeManager)).status).toBe(403);
    expect(await snapshot(server)).toBe(before);
  });

  it('pages users with a cursor', async () => {
    const first = await get<UsersPage>('/v1/manager/users?limit=2', chain);
    expect(first.json.users).toHaveLength(2);
    expect(first.json.next).not.toBeNull();
    const second = await get<UsersPage>(
      `/v1/manager/users?limit=2&after=${first.json.next ?? ''}`,
      chain,
    );
    const ids = [...first.json.users, ...second.json.users].map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("resets a cashier's PIN: the old one stops, the new one works, a retry is answered the same, a stale edit is refused", async () => {
    const till = await pairTerminal(server, 'gz-001');
    const oldPin = server.demo.cashiers.find((c) => c.storeId === 'gz-001')?.pin ?? '';
    const session = await pinLogin(till, oldPin);
    expect(session.status).toBe(200);
    const row = await userRow('cashier-gz-001');
    const request = { pin: '80808080', version: row.version, requestId: randomUUID() };
    const reset = await post<UserRow>('/v1/manager/users/cashier-gz-001/pin', chain, request);
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ version: row.version + 1, updatedBy: 'admin' });
    const retry = await post<UserRow>('/v1/manager/users/cashier-gz-001/pin', chain, request);
    expect(retry.json).toEqual(reset.json);

    expect((await pinLogin(till, oldPin)).status).toBe(401);
    expect((await pinLogin(till, '80808080')).status).toBe(200);

    const stale = await post<ApiError>('/v1/manager/users/cashier-gz-001/pin', chain, {
      ...request,
      pin: '4242',
      requestId: randomUUID(),
    });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('VERSION_CONFLICT');
    expect(stale.json.message).toContain('changed by admin');

    const audit = await get<AuditPage>('/v1/manager/audit?limit=1000', chain);
    const entries = audit.json.entries.filter((e) => e.action === 'user.pin_reset');
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0])).not.toContain('80808080');
  });

  it('disables a cashier of their store: the PIN is refused and open sessions end', async () => {
    const till = await pairTerminal(server, 'sh-001');
    const pin = server.demo.cashiers.find((c) => c.storeId === 'sh-001')?.pin ?? '';
    const session = await pinLogin(till, pin);
    expect(session.status).toBe(200);
    const token = (session.json as { token: string }).token;
    const row = await userRow('cashier-sh-001');
    const disabled = await post<UserRow>('/v1/manager/users/cashier-sh-001/disable', storeManager, {
      version: row.version,
      requestId: randomUUID(),
      reason: 'left the company',
    });
    expect(disabled.status).toBe(200);
    expect(disabled.json.disabledAt).not.toBeNull();
    expect((await pinLogin(till, pin)).status).toBe(401);
    const ended = await call(server.url, 'POST', '/v1/sessions/logout', { token, body: {} });
    expect(ended.status).toBe(401);
    // A store manager cannot disable a manager, nor a chain manager themselves.
    const manager = await userRow('sh001-manager');
    const refused = await post('/v1/manager/users/sh001-manager/disable', storeManager, {
      version: manager.version,
      requestId: randomUUID(),
    });
    expect(refused.status).toBe(403);
    const self = await userRow('admin');
    expect(
      (
        await post('/v1/manager/users/admin/disable', chain, {
          version: self.version,
          requestId: randomUUID(),
        })
      ).status,
    ).toBe(403);
  });

  it('imports nothing from a products CSV with a bad row, and names every bad row', async () => {
    const before = await snapshot(server);
    const csv = [
      'sku,name,barcode,category,price',
      'tea-001,乌龙茶 500ml,6901234567892,drinks,5.50',
      'tea-002,,6901234567892,drinks,5.50',
      'tea-003,绿茶,12345,drinks,abc',
      'tea-001,乌龙茶 again,,drinks,6',
      'tea-004,红茶,,drinks',
      '',
    ].join('\n');
    const r = await post<ImportProductsCsvResponse>('/v1/manager/products/import-csv', chain, {
      csv,
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      imported: 0,
      errors: [
        { row: 3, problem: 'bad_name', value: '' },
        { row: 4, problem: 'bad_barcode', value: '12345' },
        { row: 4, problem: 'bad_price', value: 'abc' },
        { row: 5, problem: 'repeated_in_file', value: 'tea-001', firstRow: 2 },
        { row: 6, problem: 'wrong_column_count', value: 'tea-004,红茶,,drinks' },
      ],
      badRows: 5,
    });
    expect(await snapshot(server)).toBe(before);
    const listed = await get<ProductsPage>('/v1/manager/products?q=tea-', chain);
    expect(listed.json.products).toEqual([]);
  });

  it('imports a clean products CSV in full, on the feed for the tills; a store manager may not', async () => {
    const csv = 'tea-101,乌龙茶,6901234567892|69012347,drinks,5.50\ntea-102,绿茶,,drinks,"12"\n';
    const refused = await post('/v1/manager/products/import-csv', storeManager, { csv });
    expect(refused.status).toBe(403);
    const r = await post<ImportProductsCsvResponse>('/v1/manager/products/import-csv', chain, {
      csv,
    });
    expect(r.json).toEqual({ imported: 2, errors: [], badRows: 0 });
    const listed = await get<ProductsPage>('/v1/manager/products?q=tea-1', chain);
    expect(listed.json.products).toEqual([
      {
        sku: 'tea-101',
        name: '乌龙茶',
        category: 'drinks',
        priceFen: 550,
        barcodes: ['6901234567892', '69012347'],
      },
      { sku: 'tea-102', name: '绿茶', category: 'drinks', priceFen: 1200, barcodes: [] },
    ]);
    const till = await pairTerminal(server, 'hz-001');
    const feed = await get<ChangesPage>('/v1/changes?limit=1000', till.token);
    const skus = feed.json.changes.flatMap((c) => (c.type === 'product' ? [c.product.sku] : []));
    expect(skus).toEqual(expect.arrayContaining(['tea-101', 'tea-102']));
  });

  it("sets a store's offline allowance: versioned, on the feed, and the next lease has it", async () => {
    const till = await pairTerminal(server, 'sz-001');
    const old = await takeLease(server, till);
    const page = await get<AllowancesPage>('/v1/manager/allowances', chain);
    const sz = page.json.allowances.find((a) => a.storeId === 'sz-001');
    if (!sz) throw new Error('no sz-001');
    expect(sz.offline).toEqual({ maxCount: old.maxCount, maxValueFen: old.maxValueFen, hours: 24 });

    const cursor = (await get<ChangesPage>('/v1/changes?limit=1000', till.token)).json.cursor;
    const offline = { maxCount: 7, maxValueFen: 12_300, hours: 4 };
    const body = { offline, version: sz.version, requestId: randomUUID() };
    expect((await post('/v1/manager/stores/sz-001/allowance', storeManager, body)).status).toBe(
      403,
    );
    const set = await post<StoreAllowance>('/v1/manager/stores/sz-001/allowance', chain, body);
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ offline, version: sz.version + 1, updatedBy: 'admin' });
    expect(
      (await post<StoreAllowance>('/v1/manager/stores/sz-001/allowance', chain, body)).json,
    ).toEqual(set.json);
    const stale = await post<ApiError>('/v1/manager/stores/sz-001/allowance', chain, {
      ...body,
      requestId: randomUUID(),
    });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('VERSION_CONFLICT');

    const feed = await get<ChangesPage>(`/v1/changes?since=${cursor}&limit=1000`, till.token);
    expect(feed.json.changes).toContainEqual({
      type: 'allowance',
      storeId: 'sz-001',
      offline,
      changedAt: set.json.updatedAt,
    });
    const fresh = await takeLease(server, till);
    expect(fresh).toMatchObject({ maxCount: 7, maxValueFen: 12_300 });
    expect(Date.parse(fresh.expiresAt) - Date.parse(fresh.issuedAt)).toBe(4 * 3_600_000);
  });

  it('lists tills with their last request and the allowance in use, paged', async () => {
    const till = await pairTerminal(server, 'hz-001');
    const lease = await takeLease(server, till);
    let list = await get<TerminalList>('/v1/manager/terminals?storeId=hz-001', chain);
    for (
      let i = 0;
      i < 50 && !list.json.terminals.find((t) => t.id === till.terminalId)?.lastSeenAt;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
      list = await get<TerminalList>('/v1/manager/terminals?storeId=hz-001', chain);
    }
    const row = list.json.terminals.find((t) => t.id === till.terminalId);
    expect(row?.lastSeenAt).not.toBeNull();
    expect(row).toMatchObject({
      allowance: { maxCount: lease.maxCount, usedCount: 0, expiresAt: lease.expiresAt },
      queuedRedemptions: 0,
      conflicts: 0,
    });
    const first = await get<TerminalList>('/v1/manager/terminals?limit=1', chain);
    expect(first.json.terminals).toHaveLength(1);
    const next = await get<TerminalList>(
      `/v1/manager/terminals?limit=1&after=${first.json.next ?? ''}`,
      chain,
    );
    expect(next.json.terminals[0]?.id).not.toBe(first.json.terminals[0]?.id);
  });
});
