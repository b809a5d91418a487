import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError, Session } from '../../core/protocol';
import {
  DRIVERS,
  snapshotDatabase as snapshot,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import {
  call,
  demoCodes,
  loginManager,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

describe.each(DRIVERS)('hostile input on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let before: string;

  beforeAll(async () => {
    server = await startTestServer(driver, {
      limits: { loginPerMinute: 3, lookupPerMinute: 3, pairPerMinute: 100 },
    });
    till = await pairTerminal(server, 'sh-001');
  });
  beforeEach(async () => {
    before = await snapshot(server);
  });
  afterAll(() => server.close());

  const unchanged = async () => expect(await snapshot(server)).toBe(before);

  it('answers malformed JSON with a 400 ApiError', async () => {
    const r = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      raw: '{"id": "x",',
    });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('BAD_REQUEST');
    expect(r.json.message).toContain('JSON');
    await unchanged();
  });

  it('lists wrong types and unknown fields', async () => {
    const req = {
      ...redemption(till, demoCodes(server, 'demo-cash')[0] ?? ''),
      cart: 'lots',
      extra: 1,
    };
    const r = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
    const paths = (r.json.issues ?? []).map((i) => i.path);
    expect(paths).toContain('cart');
    expect(
      r.json.issues?.some(
        (i) =>
          i.message.toLowerCase().includes('extra') || i.path === 'extra' || i.path === '(root)',
      ),
    ).toBe(true);
    await unchanged();
  });

  it('refuses a body over 1 MB with 413', async () => {
    const r = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      raw: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(r.status).toBe(413);
    expect(r.json.code).toBe('PAYLOAD_TOO_LARGE');
    await unchanged();
  });

  it('treats SQL-looking text as data', async () => {
    const evil = "X'); DROP TABLE codes; --";
    const r = await call<ApiError>(server.url, 'POST', '/v1/sessions', {
      body: { kind: 'password', username: evil, password: "' OR '1'='1" },
    });
    expect(r.status).toBe(401);
    const lookup = await call<ApiError>(
      server.url,
      'GET',
      `/v1/codes/${encodeURIComponent("A' OR 1=1 --")}`,
      { token: till.token },
    );
    expect(lookup.status).toBe(400);
    const redeem = await call(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, 'A-OR-1-1--'),
    });
    expect(redeem.status).toBe(200);
    before = await snapshot(server); // the rejected redemption above is stored for replay, by design
    const stillThere = await server.db.rows<{ n: number }>('select count(*) as n from codes');
    expect(Number(stillThere[0]?.n)).toBeGreaterThan(0);
    await unchanged();
  });

  it('answers forged and missing tokens with 401', async () => {
    const forged = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: 'A'.repeat(43),
      body: redemption(till, demoCodes(server, 'demo-cash')[0] ?? ''),
    });
    expect(forged.status).toBe(401);
    expect(forged.json.code).toBe('UNAUTHENTICATED');
    const none = await call<ApiError>(server.url, 'GET', '/v1/changes');
    expect(none.status).toBe(401);
    expect(none.json.message).toContain('Authorization: Bearer');
    await unchanged();
  });

  it('answers an expired manager session with TOKEN_EXPIRED', async () => {
    const token = await loginManager(server);
    before = await snapshot(server);
    await server.db.exec("update sessions set expires_at = '2000-01-01T00:00:00.000Z'");
    const r = await call<ApiError>(server.url, 'GET', '/v1/manager/conflicts', { token });
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses to redeem for another store or as another terminal', async () => {
    const code = demoCodes(server, 'demo-cash')[0] ?? '';
    const wrongStore = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: { ...redemption(till, code), storeId: 'gz-001' },
    });
    expect(wrongStore.status).toBe(403);
    expect(wrongStore.json.code).toBe('WRONG_STORE');
    const wrongTill = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: { ...redemption(till, code), terminalId: 't-other' },
    });
    expect(wrongTill.status).toBe(403);
    const batch = await call<ApiError>(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      body: { items: [redemption(till, code), { ...redemption(till, code), storeId: 'gz-001' }] },
    });
    expect(batch.status).toBe(403);
    await unchanged();
  });

  it('refuses a batch push of more than 500 items', async () => {
    const code = demoCodes(server, 'demo-cash')[0] ?? '';
    const items = Array.from({ length: 501 }, () => redemption(till, code));
    const r = await call<ApiError>(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      body: { items },
    });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
    await unchanged();
  });

  it('rate-limits PIN logins with a clear 429', async () => {
    const statuses: number[] = [];
    let last: ApiError | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await call<ApiError | Session>(server.url, 'POST', '/v1/sessions/pin', {
        token: till.token,
        body: { kind: 'pin', pin: '0000' },
      });
      statuses.push(r.status);
      if (r.status === 429) last = r.json as ApiError;
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(last?.code).toBe('RATE_LIMITED');
    expect(last?.message).toContain('try again');
  });

  it('rate-limits code look-ups per terminal', async () => {
    const fresh = await pairTerminal(server, 'sh-001');
    const code = demoCodes(server, 'demo-cash')[3] ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await call(server.url, 'GET', `/v1/codes/${code}`, { token: fresh.token })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
