import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPath, ROUTES, type ApiError, type RouteName } from '../../core/protocol';
import { createApiClient } from '../../renderer/data/api-client';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  demoCodes,
  loginManager,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

/** Path values that satisfy each route's params schema, so only authentication can refuse. */
const SAMPLE_PARAMS: Record<string, string> = { id: randomUUID(), code: 'ABCD-1234', table: 'funnel' };

const guarded = (Object.keys(ROUTES) as RouteName[]).filter(
  (name) => ROUTES[name].auth !== 'none' && ROUTES[name].kind !== 'ws',
);

describe.each(DRIVERS)('the route table on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  it.each(guarded)(
    'serves %s and refuses it without credentials before reading anything',
    async (name) => {
      const def = ROUTES[name];
      const path = buildPath(def.path, SAMPLE_PARAMS);
      const none = await call<ApiError>(server.url, def.method, path, {
        ...(def.method === 'POST' ? { raw: 'not even JSON' } : {}),
      });
      expect(none.status).toBe(401);
      expect(none.json.code).toBe('UNAUTHENTICATED');
    },
  );

  it('refuses a respelled Authorization header rather than reading a token out of it', async () => {
    for (const header of [
      `bearer ${till.token}`,
      `Bearer  ${till.token}`,
      `BEARER ${till.token}`,
      `Bearer\t${till.token}`,
    ]) {
      const r = await call<ApiError>(server.url, 'POST', '/v1/allowance', {
        headers: { authorization: header },
        body: {},
      });
      expect([header, r.status]).toEqual([header, 401]);
      expect(r.json.message).toContain('Authorization: Bearer <token>');
    }
  });

  it('refuses a JSON null or a missing body where the route takes an object', async () => {
    const nullBody = await call<ApiError>(server.url, 'POST', '/v1/allowance', {
      token: till.token,
      raw: 'null',
    });
    expect(nullBody.status).toBe(400);
    const missing = await call<ApiError>(
      server.url,
      'POST',
      `/v1/redemptions/${randomUUID()}/settle`,
      { token: till.token },
    );
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe('VALIDATION_FAILED');
  });

  it('is what the renderer’s API client calls: each terminal call is answered and validated', async () => {
    const api = createApiClient({
      baseUrl: server.url,
      terminalToken: () => till.token,
      sessionToken: () => null,
    });
    expect((await api.health()).ok).toBe(true);
    expect(await api.changes('', 5)).toMatchObject({ ok: true, value: { hasMore: true } });
    expect(await api.allowance(randomUUID())).toMatchObject({ ok: true, value: { storeId: 'sh-001' } });
    const code = demoCodes(server, 'demo-cash')[0] ?? '';
    expect(await api.lookupCode(code)).toMatchObject({ ok: true, value: { code: { code } } });
    const req = redemption(till, code);
    const redeemed = await api.redeem(req);
    expect(redeemed).toMatchObject({ ok: true, value: { outcome: { status: 'accepted' } } });
    expect(await api.settle(req.id)).toEqual(redeemed);
    const cashier = server.demo.cashiers.find((c) => c.storeId === 'sh-001');
    expect(await api.loginWithPin(cashier?.pin ?? '')).toMatchObject({
      ok: true,
      value: { user: { role: 'cashier' } },
    });
  });

  it('gives manager routes the session token as the bearer', async () => {
    const session = await loginManager(server);
    const api = createApiClient({
      baseUrl: server.url,
      terminalToken: () => till.token,
      sessionToken: () => session,
    });
    const page = await api.call('audit', { query: { after: 0, limit: 2 } });
    expect(page).toMatchObject({ ok: true, value: { entries: [{ seq: 1 }, { seq: 2 }] } });
  });
});
