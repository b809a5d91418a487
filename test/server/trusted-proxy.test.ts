import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../core/protocol';
import { startTestServer, type TestServer } from '../helpers/server-harness';
import { call } from '../helpers/server-client';

/** Three guesses a minute per address: the fourth from one address is refused. */
const LIMITS = { pairPerMinute: 3 };

/** One pairing guess, as a load balancer forwards it for `client`. */
const guess = (server: TestServer, client: string) =>
  call<ApiError>(server.url, 'POST', '/v1/terminals/pair', {
    headers: { 'x-forwarded-for': client },
    body: { pairingCode: 'ZZZZZZZZ', name: 'guess' },
  });

describe('per-address limits behind a load balancer (server.trustProxy)', () => {
  let trusting: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    trusting = await startTestServer('sqlite', { limits: LIMITS, trustProxy: ['127.0.0.1'] });
    plain = await startTestServer('sqlite', { limits: LIMITS });
  });
  afterAll(async () => {
    await trusting?.close();
    await plain?.close();
  });

  it('counts each client the trusted proxy forwards for on its own', async () => {
    for (let i = 0; i < 3; i++)
      expect((await guess(trusting, '203.0.113.7')).json.code).toBe('PAIRING_CODE_INVALID');
    expect((await guess(trusting, '203.0.113.7')).status).toBe(429);
    // Another shop's till behind the same proxy still gets its own three.
    expect((await guess(trusting, '198.51.100.20')).json.code).toBe('PAIRING_CODE_INVALID');
    // What a client wrote itself in front of the proxy's entry is not believed.
    expect((await guess(trusting, '198.51.100.99, 203.0.113.7')).status).toBe(429);
  });

  it('ignores the header when no proxy is trusted: every caller is the socket address', async () => {
    for (let i = 0; i < 3; i++)
      expect((await guess(plain, `203.0.113.${i + 1}`)).json.code).toBe('PAIRING_CODE_INVALID');
    expect((await guess(plain, '198.51.100.20')).status).toBe(429);
  });
});
