import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  AuditPage,
  PairingCodeResponse,
  PairResponse,
  RedemptionResponse,
  Session,
  TerminalList,
  TerminalView,
} from '../../core/protocol';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  demoCodes,
  loginManager,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

const LIMITS = {
  loginPerMinute: 8,
  lookupPerMinute: 3,
  pairPerMinute: 3,
  pinFailuresBeforeLock: 5,
  passwordFailuresBeforeLock: 5,
  passwordLockMinutes: 15,
};

/** The servers' clock, moved forward by the tests to let a window lapse. */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const advance = (ms: number) => {
  offsetMs += ms;
};
const A_MINUTE = 61_000;

const WRONG_PIN = '97531';

async function pinLogin(url: string, token: string, pin: string, header?: string) {
  return call<Session | ApiError>(url, 'POST', '/v1/sessions/pin', {
    ...(header === undefined ? { token } : { headers: { authorization: header } }),
    body: { kind: 'pin', pin },
  });
}

function passwordLogin(url: string, username: string, password: string) {
  return call<Session | ApiError>(url, 'POST', '/v1/sessions', {
    body: { kind: 'password', username, password },
  });
}

/** A till of sh-001 paired with a pairing code made for it (the demo has only three). */
async function freshTill(server: TestServer, manager: string): Promise<PairedTerminal> {
  advance(A_MINUTE); // pairing is limited per address; the tests pair many tills from one
  const code = await call<PairingCodeResponse>(server.url, 'POST', '/v1/manager/pairing-codes', {
    token: manager,
    body: { storeId: 'sh-001' },
  });
  const paired = await call<PairResponse>(server.url, 'POST', '/v1/terminals/pair', {
    body: { pairingCode: code.json.code, name: 'guessing till' },
  });
  expect(paired.status).toBe(200);
  return {
    token: paired.json.token,
    terminalId: paired.json.terminalId,
    storeId: 'sh-001',
    publicKey: paired.json.codePublicKey,
  };
}

const cashierPin = (server: TestServer) =>
  server.demo.cashiers.find((c) => c.storeId === 'sh-001')?.pin ?? '';

describe.each(DRIVERS)('limits on guessing on %s', (driver) => {
  let server: TestServer;
  let chain: string;
  let storeManager: string;

  beforeAll(async () => {
    server = await startTestServer(driver, { limits: LIMITS, clock });
    chain = await loginManager(server, 0);
    storeManager = await loginManager(server, 1);
  });
  afterAll(() => server.close());

  it('locks PIN sign-in on a till after 5 wrong PINs, even for the right PIN, until a manager unlocks it', async () => {
    const till = await freshTill(server, chain);
    for (let i = 0; i < 5; i++) {
      const r = await pinLogin(server.url, till.token, WRONG_PIN);
      expect(r.status).toBe(401);
      expect((r.json as ApiError).code).toBe('LOGIN_FAILED');
    }
    advance(A_MINUTE); // the lock is not a rate: time does not lift it
    const locked = await pinLogin(server.url, till.token, cashierPin(server));
    expect(locked.status).toBe(423);
    expect((locked.json as ApiError).code).toBe('CASHIER_LOCKED');
    expect((locked.json as ApiError).message).toContain('manager must unlock');

    const list = await call<TerminalList>(server.url, 'GET', '/v1/manager/terminals', {
      token: storeManager,
    });
    expect(list.json.terminals.find((t) => t.id === till.terminalId)?.pinLocked).toBe(true);
    const unlocked = await call<TerminalView>(
      server.url,
      'POST',
      `/v1/manager/terminals/${till.terminalId}/unlock-pin`,
      { token: storeManager, body: {} },
    );
    expect(unlocked.status).toBe(200);
    expect(unlocked.json.pinLocked).toBe(false);
    const audit = await call<AuditPage>(server.url, 'GET', '/v1/manager/audit?limit=1000', {
      token: chain,
    });
    expect(audit.json.entries.at(-1)).toMatchObject({
      action: 'terminal.pin_unlocked',
      subject: `terminal:${till.terminalId}`,
      before: { pinAttemptsSinceLogin: 6 }, // five wrong, one refused while locked
    });

    const ok = await pinLogin(server.url, till.token, cashierPin(server));
    expect(ok.status).toBe(200);
  });

  it('does not give a fresh count to a respelled Authorization header: it is refused, unread', async () => {
    const till = await freshTill(server, chain);
    for (let i = 0; i < 5; i++) await pinLogin(server.url, till.token, WRONG_PIN);
    for (const header of [
      `bearer ${till.token}`,
      `Bearer  ${till.token}`,
      `BEARER ${till.token}`,
      `Bearer\t${till.token}`,
    ]) {
      const r = await pinLogin(server.url, till.token, cashierPin(server), header);
      expect([header, r.status, (r.json as ApiError).code]).toEqual([
        header,
        401,
        'UNAUTHENTICATED',
      ]);
    }
    const still = await pinLogin(server.url, till.token, cashierPin(server));
    expect((still.json as ApiError).code).toBe('CASHIER_LOCKED');
  });

  it('checks exactly 5 PINs of a burst of 20 concurrent wrong ones', async () => {
    const till = await freshTill(server, chain);
    // The per-minute rate (8) would refuse some of the burst first; this test is about the lock.
    const wide = await startTestServer(driver, {
      reuse: { dataDir: server.dataDir, databaseUrl: server.databaseUrl },
      limits: { ...LIMITS, loginPerMinute: 1_000 },
      clock,
    });
    try {
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => pinLogin(wide.url, till.token, WRONG_PIN)),
      );
      const codes = burst.map((r) => (r.json as ApiError).code).sort();
      expect(codes.filter((c) => c === 'LOGIN_FAILED')).toHaveLength(5);
      expect(codes.filter((c) => c === 'CASHIER_LOCKED')).toHaveLength(15);
    } finally {
      await wide.stop();
    }
  });

  it('lets a store manager unlock only their own store’s tills', async () => {
    const gz = await call<PairingCodeResponse>(server.url, 'POST', '/v1/manager/pairing-codes', {
      token: chain,
      body: { storeId: 'gz-001' },
    });
    advance(A_MINUTE);
    const paired = await call<PairResponse>(server.url, 'POST', '/v1/terminals/pair', {
      body: { pairingCode: gz.json.code, name: 'gz till' },
    });
    const r = await call<ApiError>(
      server.url,
      'POST',
      `/v1/manager/terminals/${paired.json.terminalId}/unlock-pin`,
      { token: storeManager, body: {} },
    );
    expect(r.status).toBe(404);
    const asCashierTill = await call<ApiError>(
      server.url,
      'POST',
      `/v1/manager/terminals/${paired.json.terminalId}/unlock-pin`,
      { token: paired.json.token, body: {} },
    );
    expect(asCashierTill.status).toBe(401);
  });

  it('limits PIN attempts per till per minute with a 429 and Retry-After', async () => {
    const till = await freshTill(server, chain);
    const cashier = cashierPin(server);
    const statuses: number[] = [];
    // Right PINs: a success resets the lock count, so only the rate can refuse these.
    for (let i = 0; i < 9; i++)
      statuses.push((await pinLogin(server.url, till.token, cashier)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    const last = await pinLogin(server.url, till.token, cashier);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    advance(A_MINUTE);
    expect((await pinLogin(server.url, till.token, cashier)).status).toBe(200);
  });

  it('refuses a user name after 5 failed passwords, even the right one, until the window lapses', async () => {
    advance(A_MINUTE);
    const m = server.demo.managers[1];
    if (!m) throw new Error('demo has no store manager');
    for (let i = 0; i < 5; i++)
      expect((await passwordLogin(server.url, m.username, 'not-the-password')).status).toBe(401);
    const refused = await passwordLogin(server.url, m.username, m.password);
    expect(refused.status).toBe(429);
    expect((refused.json as ApiError).message).toContain(m.username);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    advance(A_MINUTE);
    const other = server.demo.managers[0];
    expect(
      (await passwordLogin(server.url, other?.username ?? '', other?.password ?? '')).status,
    ).toBe(200);
    advance(LIMITS.passwordLockMinutes * 60_000);
    expect((await passwordLogin(server.url, m.username, m.password)).status).toBe(200);
  });

  it('starts a user name’s failures again after a successful login', async () => {
    const m = server.demo.managers[0];
    if (!m) throw new Error('demo has no chain manager');
    for (let round = 0; round < 2; round++) {
      advance(A_MINUTE);
      for (let i = 0; i < 4; i++)
        expect((await passwordLogin(server.url, m.username, 'not-the-password')).status).toBe(401);
      expect((await passwordLogin(server.url, m.username, m.password)).status).toBe(200);
    }
  });

  it('limits password logins per address, whatever user names are tried', async () => {
    advance(A_MINUTE);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++)
      statuses.push((await passwordLogin(server.url, `nobody-${i}`, 'guess')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
  });

  it('limits pairing per address however the Authorization header is spelled', async () => {
    advance(A_MINUTE);
    const code = await call<PairingCodeResponse>(server.url, 'POST', '/v1/manager/pairing-codes', {
      token: chain,
      body: { storeId: 'sh-001' },
    });
    for (let i = 0; i < 3; i++) {
      const r = await call<ApiError>(server.url, 'POST', '/v1/terminals/pair', {
        headers: { authorization: `Bearer junk-${i}-${'x'.repeat(40)}` },
        body: { pairingCode: 'ZZZZZZZZ', name: 'guess' },
      });
      expect(r.json.code).toBe('PAIRING_CODE_INVALID');
    }
    const refused = await call<ApiError>(server.url, 'POST', '/v1/terminals/pair', {
      headers: { authorization: 'whatever else' },
      body: { pairingCode: code.json.code, name: 'real till' },
    });
    expect(refused.status).toBe(429);
    advance(A_MINUTE);
    const paired = await call(server.url, 'POST', '/v1/terminals/pair', {
      body: { pairingCode: code.json.code, name: 'real till' },
    });
    expect(paired.status).toBe(200);
  });

  it('limits code look-ups per till, not per header text', async () => {
    const till = await freshTill(server, chain);
    const other = await freshTill(server, chain);
    const code = demoCodes(server, 'demo-cash')[5] ?? '';
    const look = (t: PairedTerminal) =>
      call(server.url, 'GET', `/v1/codes/${code}`, { token: t.token });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await look(till)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const respelled = await call(server.url, 'GET', `/v1/codes/${code}`, {
      headers: { authorization: `bearer ${till.token}` },
    });
    expect(respelled.status).toBe(401);
    expect((await look(other)).status).toBe(200);
    advance(A_MINUTE);
    expect((await look(till)).status).toBe(200);
  });

  it('answers a replayed redemption id only to an authenticated terminal', async () => {
    advance(A_MINUTE);
    const till = await freshTill(server, chain);
    const req = redemption(till, demoCodes(server, 'demo-cash')[6] ?? '');
    const first = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    expect(first.json.outcome.status).toBe('accepted');
    const anonymous = await call<ApiError>(server.url, 'POST', '/v1/redemptions', { body: req });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain(req.code);
    const settled = await call<ApiError>(server.url, 'POST', `/v1/redemptions/${req.id}/settle`, {
      body: {},
    });
    expect(settled.status).toBe(401);
  });
});

describe('limits shared by two server instances on one PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    a = await startTestServer('postgres', { limits: LIMITS, clock });
    b = await startTestServer('postgres', {
      reuse: { dataDir: a.dataDir, databaseUrl: a.databaseUrl },
      limits: LIMITS,
      clock,
    });
  });
  afterAll(async () => {
    await b.stop();
    await a.close();
  });

  it('counts wrong PINs sent to either instance towards one lock, and one unlock lifts it', async () => {
    const chain = await loginManager(a, 0);
    const till = await freshTill(a, chain);
    for (let i = 0; i < 5; i++) {
      const r = await pinLogin((i % 2 === 0 ? a : b).url, till.token, WRONG_PIN);
      expect(r.status).toBe(401);
    }
    expect((await pinLogin(b.url, till.token, cashierPin(a))).status).toBe(423);
    expect((await pinLogin(a.url, till.token, cashierPin(a))).status).toBe(423);
    const unlocked = await call(
      b.url,
      'POST',
      `/v1/manager/terminals/${till.terminalId}/unlock-pin`,
      {
        token: chain,
        body: {},
      },
    );
    expect(unlocked.status).toBe(200);
    expect((await pinLogin(a.url, till.token, cashierPin(a))).status).toBe(200);
  });

  it('counts code look-ups on either instance towards one budget', async () => {
    const chain = await loginManager(b, 0);
    const till = await freshTill(a, chain);
    const code = demoCodes(a, 'demo-cash')[7] ?? '';
    const statuses = [];
    for (const s of [a, b, a, b])
      statuses.push((await call(s.url, 'GET', `/v1/codes/${code}`, { token: till.token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
