import { describe, expect, it } from 'vitest';
import { startFakeServer } from '../../test/helpers/app-http';
import { startCuttingProxy } from '../../test/helpers/cutting-proxy';
import { createApiClient } from './api-client';

const api = (url: string, timeoutMs = 3_000) =>
  createApiClient({
    baseUrl: url,
    terminalToken: () => 'terminal-token',
    sessionToken: () => 'cashier',
    timeoutMs,
  });

describe('API client', () => {
  it('sends the terminal bearer and the cashier session', async () => {
    const server = await startFakeServer(() => ({
      status: 200,
      body: { changes: [], cursor: '', hasMore: false },
    }));
    try {
      expect((await api(server.url).changes('', 10)).ok).toBe(true);
      expect(server.requests[0]?.headers['authorization']).toBe('Bearer terminal-token');
      expect(server.requests[0]?.headers['x-cashier-session']).toBe('cashier');
    } finally {
      await server.close();
    }
  });

  it('reports a server that is down as offline', async () => {
    const server = await startFakeServer(() => ({ status: 200, body: {} }));
    const url = server.url;
    await server.close();
    const r = await api(url).health();
    expect(r.ok).toBe(false);
    expect(!r.ok && [r.code, r.offline]).toEqual(['NETWORK', true]);
  });

  it('reports a server that does not answer in time as offline (timeout)', async () => {
    const server = await startFakeServer(() => 'hang');
    try {
      const r = await api(server.url, 200).health();
      expect(!r.ok && [r.code, r.offline]).toEqual(['TIMEOUT', true]);
    } finally {
      await server.close();
    }
  });

  it('treats 5xx as an outage and 4xx as the server’s answer, keeping its message', async () => {
    const server = await startFakeServer((req) =>
      req.url.startsWith('/v1/sessions')
        ? { status: 401, body: { code: 'LOGIN_FAILED', message: 'Wrong PIN; try again.' } }
        : { status: 503, body: { code: 'UNAVAILABLE', message: 'Database unreachable.' } },
    );
    try {
      const login = await api(server.url).loginWithPin('1234');
      expect(login).toMatchObject({
        ok: false,
        code: 'LOGIN_FAILED',
        message: 'Wrong PIN; try again.',
        offline: false,
      });
      const lease = await api(server.url).allowance('0190a000-0000-7000-8000-000000000001');
      expect(lease).toMatchObject({ ok: false, code: 'UNAVAILABLE', offline: true });
    } finally {
      await server.close();
    }
  });

  it('reports an answer cut after its headers as trouble on the line, not a protocol error', async () => {
    const server = await startFakeServer(() => ({
      status: 200,
      body: { changes: [], cursor: 'a-cursor-long-enough-to-be-cut', hasMore: false },
    }));
    const proxy = await startCuttingProxy(server.url);
    try {
      const cut = proxy.cutNextAnswer('GET /v1/changes', 'headers');
      const r = await api(proxy.url).changes('', 10);
      await cut;
      expect(!r.ok && [r.code, r.status, r.offline]).toEqual(['NETWORK', 200, true]);
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('refuses an answer that does not match the protocol, saying where', async () => {
    const server = await startFakeServer(() => ({
      status: 200,
      body: { changes: 'x', cursor: '', hasMore: false },
    }));
    try {
      const r = await api(server.url).changes('', 10);
      expect(r).toMatchObject({ ok: false, code: 'BAD_RESPONSE', offline: false });
      expect(!r.ok && r.message).toContain('changes');
    } finally {
      await server.close();
    }
  });

  it('builds each call from the route table: path from params, query from the query object', async () => {
    const server = await startFakeServer((req) =>
      req.url.startsWith('/v1/changes')
        ? { status: 200, body: { changes: [], cursor: 'c1', hasMore: false } }
        : { status: 200, body: { ended: true } },
    );
    try {
      await api(server.url).changes('c 1', 7);
      expect(server.requests[0]?.url).toBe('/v1/changes?since=c+1&limit=7');
      expect(server.requests[0]?.method).toBe('GET');
      expect(await api(server.url).logout()).toEqual({ ok: true, value: { ended: true } });
      expect(server.requests[1]).toMatchObject({ method: 'POST', url: '/v1/sessions/logout' });
      // A session route carries the session, not the terminal token, as the bearer.
      expect(server.requests[1]?.headers['authorization']).toBe('Bearer cashier');
    } finally {
      await server.close();
    }
  });
});
