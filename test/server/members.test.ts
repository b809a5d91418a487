import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  ChangesPage,
  MemberLookup,
  RedemptionResponse,
  SaleResponse,
  Tender,
} from '../../core/protocol';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  pairTerminal,
  redemption,
  saleRequest,
  type PairedTerminal,
} from '../helpers/server-client';

const cash = (amountFen: number): Tender =>
  ({ kind: 'cash', amountFen, tenderedFen: amountFen }) as Tender;

describe.each(DRIVERS)('members on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let south: PairedTerminal;
  const get = <T>(path: string, t: PairedTerminal | null = till) =>
    call<T>(server.url, 'GET', path, t === null ? {} : { token: t.token });
  const post = <T>(path: string, body: unknown) =>
    call<T>(server.url, 'POST', path, { token: till.token, body });

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    south = await pairTerminal(server, 'gz-001');
  });
  afterAll(() => server.close());

  it('finds a member by card barcode or by phone, at any store of the chain', async () => {
    const byCard = await get<MemberLookup>('/v1/members/lookup?card=TPM-00000001');
    expect(byCard.status).toBe(200);
    expect(byCard.json.member).toEqual({
      id: 'm-0001',
      name: '张伟',
      phone: '13800138000',
      card: 'TPM-00000001',
      tier: 'gold',
      version: 1,
    });
    const byPhone = await get<MemberLookup>('/v1/members/lookup?phone=13912345678', south);
    expect(byPhone.json.member).toMatchObject({ id: 'm-0002', tier: 'silver' });
  });

  it('says 404 with the phone masked, 400 for a number that is not a mainland mobile', async () => {
    const none = await get<ApiError>('/v1/members/lookup?phone=13700001111');
    expect(none.status).toBe(404);
    expect(none.json.code).toBe('NOT_FOUND');
    expect(none.text).not.toContain('13700001111');
    expect(none.text).toContain('137****1111');
    for (const bad of [
      'phone=12345678901',
      'phone=1380013800',
      'card=TPM-1',
      '',
      'card=TPM-00000001&phone=13800138000',
    ]) {
      const r = await get<ApiError>(`/v1/members/lookup?${bad}`);
      expect(r.status, bad).toBe(400);
      // The answer never echoes a number back (it may be someone's phone).
      expect(r.text).not.toMatch(/\d{10,}/);
    }
    expect((await get('/v1/members/lookup?card=TPM-00000001', null)).status).toBe(401);
  });

  it('delivers every member to every till on the change feed', async () => {
    for (const t of [till, south]) {
      const seen: ChangesPage['changes'] = [];
      let cursor = '';
      for (let i = 0; i < 100; i++) {
        const page = await get<ChangesPage>(`/v1/changes?since=${cursor}&limit=500`, t);
        seen.push(...page.json.changes);
        cursor = page.json.cursor;
        if (!page.json.hasMore) break;
      }
      const ids = seen.flatMap((c) => (c.type === 'member' ? [c.member.id] : []));
      expect(ids.sort()).toEqual(['m-0001', 'm-0002', 'm-0003']);
    }
  });

  it('redeems a gold-only voucher for the gold member only, and the sale names the member', async () => {
    const [refusedCode, code] = demoCodes(server, 'demo-member-gold');
    const plain = cartOf([['latte', 'coffee', 2800, 1]]);
    const refused = await post<RedemptionResponse>(
      '/v1/redemptions',
      redemption(till, refusedCode ?? '', { cart: plain }),
    );
    expect(refused.json.outcome).toMatchObject({
      status: 'rejected',
      reason: { code: 'TIER_REQUIRED', tiers: ['gold'], memberTier: null },
    });

    const cart = { ...plain, memberTier: 'gold' as never, customerId: 'm-0001' };
    const r = redemption(till, code ?? '', { cart });
    const accepted = await post<RedemptionResponse>('/v1/redemptions', r);
    expect(accepted.json.outcome).toMatchObject({ status: 'accepted', discountFen: 800 });
    const sale = saleRequest(till, cart, [800], [r.id], [cash(2000)]);
    const res = await post<SaleResponse>('/v1/sales', sale);
    expect(res.json.outcome.flags).toEqual([]);
    const rows = await server.db.rows<{ doc: string }>('select doc from sales where id = ?', [
      sale.id,
    ]);
    expect(JSON.parse(rows[0]?.doc ?? '{}')).toMatchObject({
      member: { customerId: 'm-0001', tier: 'gold' },
    });
  });

  it('flags a sale whose member is unknown or of another tier than the till claimed', async () => {
    const lines = cartOf([['americano', 'coffee', 2200, 1]]);
    const claims = [
      { customerId: 'm-0002', memberTier: 'gold', problem: 'tier', serverTier: 'silver' },
      { customerId: 'm-9999', memberTier: 'gold', problem: 'unknown', serverTier: null },
      { customerId: null, memberTier: 'gold', problem: 'unknown', serverTier: null },
    ] as const;
    for (const c of claims) {
      const cart = { ...lines, customerId: c.customerId, memberTier: c.memberTier as never };
      const res = await post<SaleResponse>(
        '/v1/sales',
        saleRequest(till, cart, [], [], [cash(2200)]),
      );
      expect(res.json.outcome.flags).toEqual([
        {
          code: 'MEMBER',
          problem: c.problem,
          customerId: c.customerId,
          tillTier: 'gold',
          serverTier: c.serverTier,
        },
      ]);
    }
    // A customer id that is no member's, with no tier claimed (a WeChat openid): nothing to flag.
    const openid = { ...lines, customerId: 'o-wechat-openid' };
    const res = await post<SaleResponse>(
      '/v1/sales',
      saleRequest(till, openid, [], [], [cash(2200)]),
    );
    expect(res.json.outcome.flags).toEqual([]);
  });
});
