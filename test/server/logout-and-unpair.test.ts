import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type {
  ApiError,
  AuditPage,
  LogoutResponse,
  RedemptionResponse,
  Session,
  TerminalList,
  TerminalView,
} from '../../core/protocol';
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

function cashierLogin(server: TestServer, till: PairedTerminal) {
  const pin = server.demo.cashiers.find((c) => c.storeId === till.storeId)?.pin;
  return call<Session>(server.url, 'POST', '/v1/sessions/pin', {
    token: till.token,
    body: { kind: 'pin', pin },
  });
}

function eventsCloseCode(server: TestServer, token: string): Promise<number | 'hello'> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/events?token=${token}`);
  return new Promise((resolve) => {
    ws.once('message', () => {
      resolve('hello');
      ws.close();
    });
    ws.once('close', (c: number) => resolve(c));
  });
}

describe.each(DRIVERS)('logout and unpairing on %s', (driver) => {
  let server: TestServer;
  let chain: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    chain = await loginManager(server, 0);
  });
  afterAll(() => server.close());

  it('ends a manager session: the next call with its token is refused', async () => {
    const token = await loginManager(server, 0);
    const before = await call(server.url, 'GET', '/v1/manager/terminals', { token });
    expect(before.status).toBe(200);
    const out = await call<LogoutResponse>(server.url, 'POST', '/v1/sessions/logout', {
      token,
      body: {},
    });
    expect([out.status, out.json]).toEqual([200, { ended: true }]);
    const after = await call<ApiError>(server.url, 'GET', '/v1/manager/terminals', { token });
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('UNAUTHENTICATED');
    const again = await call(server.url, 'POST', '/v1/sessions/logout', { token, body: {} });
    expect(again.status).toBe(401);
  });

  it('ends a cashier session through the API client: the till keeps working, the session does not', async () => {
    const till = await pairTerminal(server, 'sh-001');
    const session = (await cashierLogin(server, till)).json.token;
    const headers = { 'x-cashier-session': session };
    const api = createApiClient({
      baseUrl: server.url,
      terminalToken: () => till.token,
      sessionToken: () => session,
    });
    expect((await api.allowance(randomUUID())).ok).toBe(true);
    expect(await api.logout()).toEqual({ ok: true, value: { ended: true } });
    const withSession = await call<ApiError>(server.url, 'POST', '/v1/allowance', {
      token: till.token,
      headers,
      body: {},
    });
    expect(withSession.status).toBe(401);
    const tillAlone = await call(server.url, 'POST', '/v1/allowance', {
      token: till.token,
      body: { requestId: randomUUID() },
    });
    expect(tillAlone.status).toBe(200);
  });

  it('refuses an unpaired till’s token on its very next request, and ends its cashier sessions', async () => {
    const till = await pairTerminal(server, 'sh-001');
    const session = (await cashierLogin(server, till)).json.token;
    const req = redemption(till, demoCodes(server, 'demo-cash')[10] ?? '');
    const first = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    expect(first.json.outcome.status).toBe('accepted');
    expect(await eventsCloseCode(server, till.token)).toBe('hello');

    const unpaired = await call<TerminalView>(
      server.url,
      'POST',
      `/v1/manager/terminals/${till.terminalId}/unpair`,
      { token: chain, body: {} },
    );
    expect(unpaired.status).toBe(200);
    expect(unpaired.json.revokedAt).not.toBeNull();

    for (const [method, path, body] of [
      ['POST', '/v1/redemptions', req],
      ['POST', '/v1/allowance', {}],
      ['GET', '/v1/changes', undefined],
    ] as const) {
      const r = await call<ApiError>(server.url, method, path, { token: till.token, body });
      expect([path, r.status, r.json.code]).toEqual([path, 401, 'UNAUTHENTICATED']);
    }
    expect(await eventsCloseCode(server, till.token)).toBe(4401);
    const asSession = await call(server.url, 'POST', '/v1/sessions/logout', {
      token: session,
      body: {},
    });
    expect(asSession.status).toBe(401);

    const audit = await call<AuditPage>(server.url, 'GET', '/v1/manager/audit?limit=1000', {
      token: chain,
    });
    expect(audit.json.entries.at(-1)).toMatchObject({
      action: 'terminal.unpaired',
      subject: `terminal:${till.terminalId}`,
      after: { sessionsEnded: 1 },
    });
    const list = await call<TerminalList>(server.url, 'GET', '/v1/manager/terminals', {
      token: chain,
    });
    expect(list.json.terminals.find((t) => t.id === till.terminalId)?.revokedAt).toBe(
      unpaired.json.revokedAt,
    );
  });

  it('unpairs once: unpairing again answers the same and writes nothing', async () => {
    const till = await pairTerminal(server, 'gz-001');
    const path = `/v1/manager/terminals/${till.terminalId}/unpair`;
    const first = await call<TerminalView>(server.url, 'POST', path, { token: chain, body: {} });
    const count = async () =>
      (await server.db.rows<{ n: number }>('select count(*) as n from audit_log'))[0]?.n;
    const entries = await count();
    const second = await call<TerminalView>(server.url, 'POST', path, { token: chain, body: {} });
    expect(second.json).toEqual(first.json);
    expect(await count()).toBe(entries);
  });

  it('lets a store manager unpair only their own store’s tills', async () => {
    const storeManager = await loginManager(server, 1);
    const gz = await pairTerminal(server, 'gz-001');
    const r = await call<ApiError>(
      server.url,
      'POST',
      `/v1/manager/terminals/${gz.terminalId}/unpair`,
      { token: storeManager, body: {} },
    );
    expect(r.status).toBe(404);
    const still = await call(server.url, 'POST', '/v1/allowance', {
      token: gz.token,
      body: { requestId: randomUUID() },
    });
    expect(still.status).toBe(200);
    const cashier = await cashierLogin(server, await pairTerminal(server, 'sh-001'));
    const byCashier = await call<ApiError>(
      server.url,
      'POST',
      `/v1/manager/terminals/${gz.terminalId}/unpair`,
      { token: cashier.json.token, body: {} },
    );
    expect(byCashier.status).toBe(403);
  });
});
