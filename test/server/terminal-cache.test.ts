import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiError, RedemptionResponse, TerminalView } from '../../core/protocol';
import { localDate } from '../../server/ledger/time';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  demoCodes,
  loginManager,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

/**
 * Terminal requests read who sent them from a cache (server/auth/terminal-cache.ts): whatever
 * changes what a token stands for must reach the very next request, on every instance.
 */

async function redeem(url: string, till: PairedTerminal, code: string) {
  return call<RedemptionResponse & ApiError>(url, 'POST', '/v1/redemptions', {
    token: till.token,
    body: redemption(till, code),
  });
}

describe.each(DRIVERS)('cached terminal look-ups on %s', (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(driver);
  });
  afterAll(() => server.close());

  it('applies a store’s new time zone to its till’s very next redemption', async () => {
    const till = await pairTerminal(server, 'hz-001');
    const codes = demoCodes(server, 'demo-cash');
    const dayOf = async (id: string) =>
      (
        await server.db.rows<{ day: string; at: string }>(
          'select day, at from redemptions where id = ?',
          [id],
        )
      )[0];
    const first = await redeem(server.url, till, codes[20] ?? '');
    expect(first.json.outcome.status).toBe('accepted');
    const before = await dayOf(first.json.id);
    expect(before?.day).toBe(localDate(before?.at ?? '', 'Asia/Shanghai'));

    // UTC+14: its date is never Asia/Shanghai's (UTC+8) and UTC-11's at the same instant.
    const manager = await loginManager(server);
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const edited = await call(server.url, 'POST', '/v1/manager/stores', {
        token: manager,
        body: { id: 'hz-001', name: '杭州西湖店', timeZone, groupIds: ['east'] },
      });
      expect(edited.status).toBe(200);
      const next = await redeem(
        server.url,
        till,
        codes[timeZone === 'Pacific/Kiritimati' ? 21 : 22] ?? '',
      );
      expect(next.json.outcome.status).toBe('accepted');
      const row = await dayOf(next.json.id);
      expect(row?.day).toBe(localDate(row?.at ?? '', timeZone));
    }
  });
});

describe('cached terminal look-ups on two server instances on one PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    a = await startTestServer('postgres');
    b = await startTestServer('postgres', {
      reuse: { dataDir: a.dataDir, databaseUrl: a.databaseUrl },
    });
  });
  afterAll(async () => {
    await b.stop();
    await a.close();
  });

  it('refuses a till unpaired on one instance on the other: its redemptions at once, the rest once told', async () => {
    const till = await pairTerminal(a, 'sh-001');
    const codes = demoCodes(a, 'demo-cash');
    // b has looked the till up, and holds it in its cache.
    expect((await call(b.url, 'GET', '/v1/changes', { token: till.token })).status).toBe(200);
    expect((await redeem(b.url, till, codes[30] ?? '')).json.outcome.status).toBe('accepted');

    const chain = await loginManager(a);
    const unpaired = await call<TerminalView>(
      a.url,
      'POST',
      `/v1/manager/terminals/${till.terminalId}/unpair`,
      { token: chain, body: {} },
    );
    expect(unpaired.status).toBe(200);

    // A write reads the terminal from the database, never from the cache.
    const refused = await redeem(b.url, till, codes[31] ?? '');
    expect([refused.status, refused.json.code]).toEqual([401, 'UNAUTHENTICATED']);
    const rows = await a.db.rows<{ n: number }>(
      'select count(*) as n from redemptions where terminal_id = ?',
      [till.terminalId],
    );
    expect(Number(rows[0]?.n)).toBe(1);
    // The commit's NOTIFY drops b's cached look-up.
    await vi.waitFor(async () =>
      expect((await call(b.url, 'GET', '/v1/changes', { token: till.token })).status).toBe(401),
    );
  });
});
