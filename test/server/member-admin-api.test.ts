import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  AuditPage,
  ChangesPage,
  ClaimPageView,
  ImportMembersCsvResponse,
  MemberClaimsPage,
  MemberDetail,
  MemberRedemptionsPage,
  MemberSalesPage,
  MembersPage,
  RedemptionResponse,
  SaleResponse,
  Tender,
  UserRow,
  UsersPage,
} from '../../core/protocol';
import { phone, shownCodes } from '../helpers/claim-phone';
import {
  DRIVERS,
  snapshotDatabase as snapshot,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import {
  call,
  cartOf,
  loginManager,
  pairTerminal,
  redemption,
  saleRequest,
  type PairedTerminal,
} from '../helpers/server-client';

const cash = (amountFen: number): Tender =>
  ({ kind: 'cash', amountFen, tenderedFen: amountFen }) as Tender;

describe.each(DRIVERS)('the members console API on %s', (driver) => {
  let server: TestServer;
  let chain: string;
  let storeManager: string;
  let sh: PairedTerminal;
  let gz: PairedTerminal;

  const get = <T>(path: string, token: string) => call<T>(server.url, 'GET', path, { token });
  const post = <T>(path: string, token: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token, body });
  const till = <T>(t: PairedTerminal, path: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: t.token, body });

  beforeAll(async () => {
    server = await startTestServer(driver);
    chain = await loginManager(server, 0);
    storeManager = await loginManager(server, 1);
    sh = await pairTerminal(server, 'sh-001');
    gz = await pairTerminal(server, 'gz-001');
  });
  afterAll(() => server.close());

  it('lists members with phones masked, by phone prefix (11 digits: exact) and by tier', async () => {
    const all = await get<MembersPage>('/v1/manager/members', storeManager);
    expect(all.status).toBe(200);
    expect(all.json.members.map((m) => [m.id, m.phoneMasked])).toEqual([
      ['m-0001', '138****8000'],
      ['m-0002', '139****5678'],
      ['m-0003', '186****5678'],
    ]);
    expect(all.text).not.toContain('13800138000');
    const prefix = await get<MembersPage>('/v1/manager/members?phone=13', chain);
    expect(prefix.json.members.map((m) => m.id)).toEqual(['m-0001', 'm-0002']);
    const exact = await get<MembersPage>('/v1/manager/members?phone=18612345678', chain);
    expect(exact.json.members.map((m) => m.id)).toEqual(['m-0003']);
    const none = await get<MembersPage>('/v1/manager/members?phone=1861234567', chain);
    expect(none.json.members.map((m) => m.id)).toEqual(['m-0003']);
    const gold = await get<MembersPage>('/v1/manager/members?tier=gold', chain);
    expect(gold.json.members.map((m) => m.id)).toEqual(['m-0001']);
    const bad = await get<ApiError>('/v1/manager/members?phone=13x', chain);
    expect(bad.status).toBe(400);
  });

  it('pages members with a cursor that is an id, never a phone', async () => {
    const first = await get<MembersPage>('/v1/manager/members?limit=2', chain);
    expect(first.json.next).toBe('m-0002');
    const second = await get<MembersPage>(`/v1/manager/members?limit=2&after=m-0002`, chain);
    expect(second.json.members.map((m) => m.id)).toEqual(['m-0003']);
    expect(second.json.next).toBeNull();
  });

  it('shows the full phone in one member to a chain manager only', async () => {
    const full = await get<MemberDetail>('/v1/manager/members/m-0002', chain);
    expect(full.json).toMatchObject({ phone: '13912345678', phoneMasked: '139****5678' });
    const masked = await get<MemberDetail>('/v1/manager/members/m-0002', storeManager);
    expect(masked.status).toBe(200);
    expect(masked.json.phone).toBeNull();
    expect(masked.text).not.toContain('13912345678');
    expect((await get<ApiError>('/v1/manager/members/m-9999', chain)).status).toBe(404);
  });

  it('adds a member with the next card, on the feed and audited; a retry gets the same member', async () => {
    const request = { phone: '13700000001', name: '赵敏', tier: 'silver', requestId: randomUUID() };
    const added = await post<MemberDetail>('/v1/manager/members', chain, request);
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      id: 'm-00000004',
      card: 'TPM-00000004',
      phone: '13700000001',
      version: 1,
      updatedBy: 'admin',
    });
    const retry = await post<MemberDetail>('/v1/manager/members', chain, request);
    expect(retry.json).toEqual(added.json);
    const reused = await post<ApiError>('/v1/manager/members', chain, {
      ...request,
      phone: '13700000002',
    });
    expect(reused.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const again = await post<ApiError>('/v1/manager/members', chain, {
      ...request,
      requestId: randomUUID(),
    });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain('137****0001');
    expect(again.json.message).not.toContain('13700000001');

    const feed = await call<ChangesPage>(server.url, 'GET', '/v1/changes?limit=1000', {
      token: gz.token,
    });
    const seen = feed.json.changes.flatMap((c) => (c.type === 'member' ? [c.member.id] : []));
    expect(seen).toContain('m-00000004');
    const audit = await get<AuditPage>('/v1/manager/audit?limit=1000', chain);
    const entry = audit.json.entries.find((e) => e.subject === 'member:m-00000004');
    expect(entry?.action).toBe('member.created');
    expect(JSON.stringify(entry)).not.toContain('13700000001');
  });

  it('refuses a store manager every change to members, and changes nothing', async () => {
    const before = await snapshot(server);
    const add = await post<ApiError>('/v1/manager/members', storeManager, {
      phone: '13700000009',
      name: 'x',
      tier: 'gold',
      requestId: randomUUID(),
    });
    const tier = await post<ApiError>('/v1/manager/members/m-0002/tier', storeManager, {
      tier: 'gold',
      version: 1,
      requestId: randomUUID(),
    });
    const imported = await post<ApiError>('/v1/manager/members/import-csv', storeManager, {
      csv: '13700000009,x,gold\n',
    });
    expect([add.status, tier.status, imported.status]).toEqual([403, 403, 403]);
    expect(await snapshot(server)).toBe(before);
  });

  it('changes a tier on the version it was read at; a retry is answered the same, a stale change is refused', async () => {
    const row = (await get<MemberDetail>('/v1/manager/members/m-0002', chain)).json;
    const request = { tier: 'gold', version: row.version, requestId: randomUUID() };
    const changed = await post<MemberDetail>('/v1/manager/members/m-0002/tier', chain, request);
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ tier: 'gold', version: row.version + 1 });
    const retry = await post<MemberDetail>('/v1/manager/members/m-0002/tier', chain, request);
    expect(retry.json).toEqual(changed.json);
    const before = await snapshot(server);
    const stale = await post<ApiError>('/v1/manager/members/m-0002/tier', chain, {
      ...request,
      tier: 'platinum',
      requestId: randomUUID(),
    });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('VERSION_CONFLICT');
    expect(stale.json.message).toContain('changed by admin at');
    expect(await snapshot(server)).toBe(before);
  });

  it('imports a CSV all or nothing: a bad row stores nothing and is named, the fixed file adds and updates', async () => {
    const before = await snapshot(server);
    const bad = await post<ImportMembersCsvResponse>('/v1/manager/members/import-csv', chain, {
      csv: 'phone,name,tier\n13600000001,钱多多,gold\n1360000000,孙悟空,silver\n',
    });
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({
      imported: 0,
      added: 0,
      badRows: 1,
      errors: [{ row: 3, problem: 'bad_phone', value: '1360000000' }],
    });
    expect(await snapshot(server)).toBe(before);

    const csv =
      'phone,name,tier\n13600000001,钱多多,gold\n13600000002,孙悟空,silver\n18612345678,王芳,gold\n';
    const good = await post<ImportMembersCsvResponse>('/v1/manager/members/import-csv', chain, {
      csv,
    });
    expect(good.json).toEqual({ imported: 3, added: 2, badRows: 0, errors: [] });
    const gold = await get<MembersPage>('/v1/manager/members?tier=gold&limit=200', chain);
    expect(gold.json.members.map((m) => m.phoneMasked)).toEqual(
      expect.arrayContaining(['136****0001', '186****5678']),
    );
    const again = await post<ImportMembersCsvResponse>('/v1/manager/members/import-csv', chain, {
      csv,
    });
    expect(again.json).toMatchObject({ imported: 3, added: 0 });
    const wang = await get<MemberDetail>('/v1/manager/members/m-0003', chain);
    expect(wang.json).toMatchObject({ tier: 'gold', version: 2 });
  });

  it("lists a member's claims, redemptions and sales, newest first and paged; a store manager sees their store's", async () => {
    const page = await post<ClaimPageView>('/v1/manager/claim-pages', chain, {
      batchId: 'demo-cash',
      storeId: 'sh-001',
      title: '会员领券',
      totalStock: 10,
      dailyStock: null,
      perCustomer: 2,
    });
    const device = phone(server);
    await device.open(page.json.id);
    await device.claim(page.json.id);
    const [code] = shownCodes((await device.claim(page.json.id)).text);
    const cart = { ...cartOf([['latte', 'coffee', 2800, 1]]), customerId: 'm-0001' };
    const r = redemption(sh, code ?? '', { cart });
    const redeemed = await till<RedemptionResponse>(sh, '/v1/redemptions', r);
    expect(redeemed.json.outcome.status).toBe('accepted');
    const discount =
      redeemed.json.outcome.status === 'accepted' ? redeemed.json.outcome.discountFen : 0;
    const sale = await till<SaleResponse>(
      sh,
      '/v1/sales',
      saleRequest(sh, cart, [discount], [r.id], [cash(2800 - discount)]),
    );
    expect(sale.status).toBe(200);
    for (const t of [gz, gz])
      await till<SaleResponse>(t, '/v1/sales', saleRequest(t, cart, [], [], [cash(2800)]));

    const claims = await get<MemberClaimsPage>('/v1/manager/members/m-0001/claims', chain);
    // Both codes the phone claimed: one redeemed for the member makes the phone theirs.
    expect(claims.json.claims).toHaveLength(2);
    expect(claims.json.claims.map((c) => c.codeState).sort()).toEqual(['issued', 'redeemed']);
    const redemptions = await get<MemberRedemptionsPage>(
      '/v1/manager/members/m-0001/redemptions',
      chain,
    );
    expect(redemptions.json.redemptions.map((x) => [x.code, x.saleId])).toEqual([
      [code, sale.json.id],
    ]);

    const first = await get<MemberSalesPage>('/v1/manager/members/m-0001/sales?limit=2', chain);
    expect(first.json.sales).toHaveLength(2);
    const rest = await get<MemberSalesPage>(
      `/v1/manager/members/m-0001/sales?limit=2&after=${encodeURIComponent(first.json.next ?? '')}`,
      chain,
    );
    const all = [...first.json.sales, ...rest.json.sales];
    expect(all).toHaveLength(3);
    expect(all.map((s) => s.at)).toEqual([...all.map((s) => s.at)].sort().reverse());

    const own = await get<MemberSalesPage>('/v1/manager/members/m-0001/sales', storeManager);
    expect(own.json.sales.map((s) => s.storeId)).toEqual(['sh-001']);
    const none = await get<MemberSalesPage>('/v1/manager/members/m-0002/sales', chain);
    expect(none.json.sales).toEqual([]);
  });

  it('enables a disabled user again: they sign in, and the change is versioned and audited', async () => {
    const users = await get<UsersPage>('/v1/manager/users?limit=500', chain);
    const cashier = users.json.users.find((u) => u.id === 'cashier-gz-001');
    if (!cashier) throw new Error('no demo cashier of gz-001');
    const disabled = await post<UserRow>('/v1/manager/users/cashier-gz-001/disable', chain, {
      version: cashier.version,
      requestId: randomUUID(),
    });
    const pin = server.demo.cashiers.find((c) => c.storeId === 'gz-001')?.pin ?? '';
    const pinLogin = () => till(gz, '/v1/sessions/pin', { kind: 'pin', pin });
    expect((await pinLogin()).status).toBe(401);
    const request = { version: disabled.json.version, requestId: randomUUID() };
    const enabled = await post<UserRow>('/v1/manager/users/cashier-gz-001/enable', chain, request);
    expect(enabled.json).toMatchObject({ disabledAt: null, version: disabled.json.version + 1 });
    const retry = await post<UserRow>('/v1/manager/users/cashier-gz-001/enable', chain, request);
    expect(retry.json).toEqual(enabled.json);
    expect((await pinLogin()).status).toBe(200);
    const other = await post<ApiError>('/v1/manager/users/cashier-gz-001/enable', storeManager, {
      version: enabled.json.version,
      requestId: randomUUID(),
    });
    expect(other.status).toBe(403);
    const audit = await get<AuditPage>('/v1/manager/audit?limit=1000', chain);
    expect(audit.json.entries.filter((e) => e.action === 'user.enabled')).toHaveLength(1);
  });
});
