import { randomUUID } from 'node:crypto';
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

  const NOT_OBJECTS = [
    ['null', 'null'],
    ['an array', '[{}]'],
    ['a number', '42'],
    ['a string', '"{}"'],
  ] as const;

  it.each(NOT_OBJECTS)(
    'refuses %s as an allowance request and grants no lease',
    async (kind, raw) => {
      const r = await call<ApiError>(server.url, 'POST', '/v1/allowance', {
        token: till.token,
        raw,
      });
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('BAD_REQUEST');
      expect(r.json.message).toBe(
        `The body is ${kind}; send one JSON object (use {} when there is nothing to say).`,
      );
      await unchanged();
    },
  );

  it.each(NOT_OBJECTS)(
    'refuses %s as a settle request and stores no outcome',
    async (kind, raw) => {
      const r = await call<ApiError>(server.url, 'POST', `/v1/redemptions/${randomUUID()}/settle`, {
        token: till.token,
        raw,
      });
      expect(r.status).toBe(400);
      expect(r.json.message).toContain(`The body is ${kind}`);
      await unchanged();
    },
  );

  it('refuses a null redemption and a null manager body alike', async () => {
    const redeem = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      raw: 'null',
    });
    expect(redeem.status).toBe(400);
    const token = await loginManager(server);
    before = await snapshot(server); // the login's session row
    const manager = await call<ApiError>(server.url, 'POST', '/v1/manager/stores', {
      token,
      raw: 'null',
    });
    expect(manager.status).toBe(400);
    expect(manager.json.code).toBe('BAD_REQUEST');
    await unchanged();
  });

  it('refuses a missing allowance body and says what to send', async () => {
    const r = await call<ApiError>(server.url, 'POST', '/v1/allowance', { token: till.token });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
    expect(r.json.message).toContain('is missing; send it as a JSON object');
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
    expect(r.json.message).toContain('this endpoint takes at most 1 MB');
    await unchanged();
  });

  it('names the 4 MB limit of the batch push when a push is over it', async () => {
    const r = await call<ApiError>(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      raw: JSON.stringify({ pad: 'x'.repeat(4 * 1024 * 1024 + 10) }),
    });
    expect(r.status).toBe(413);
    expect(r.json).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message:
        'The request body is too large; this endpoint takes at most 4 MB (push queued redemptions in batches of up to 500).',
    });
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

/**
 * Text PostgreSQL cannot store (U+0000) or SQLite stores as invalid UTF-8 (a
 * lone surrogate) is refused by the shared schemas with a 400 that names the
 * field, before anything is written; control characters likewise.
 */
describe.each(DRIVERS)('unsafe text on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let manager: string;
  let before: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    manager = await loginManager(server);
  });
  beforeEach(async () => {
    before = await snapshot(server);
  });
  afterAll(() => server.close());

  const UNSAFE = [
    ['a NUL byte', 'Till\u0000 1', 'U+0000'],
    ['a lone surrogate', 'Till \ud800 1', 'U+D800'],
    ['an escape character', 'Till \u001b[2J 1', 'U+001B'],
  ] as const;

  const refused = async (r: { status: number; json: ApiError }, field: string, char: string) => {
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
    expect(r.json.issues?.map((i) => i.path)).toContain(field);
    expect(r.json.message).toContain(`${field}: `);
    expect(r.json.message).toContain(char);
    expect(await snapshot(server)).toBe(before);
  };

  it.each(UNSAFE)('refuses %s in a terminal name', async (_what, text, char) => {
    const unused = server.demo.pairingCodes.find((p) => p.storeId === 'gz-001');
    const r = await call<ApiError>(server.url, 'POST', '/v1/terminals/pair', {
      body: { pairingCode: unused?.code, name: text },
    });
    await refused(r, 'name', char);
  });

  it.each(UNSAFE)('refuses %s in a store name', async (_what, text, char) => {
    const r = await call<ApiError>(server.url, 'POST', '/v1/manager/stores', {
      token: manager,
      body: { id: 'sz-001', name: text, timeZone: 'Asia/Shanghai', groupIds: [] },
    });
    await refused(r, 'name', char);
  });

  it.each(UNSAFE)("refuses %s in a cart's customer id", async (_what, text, char) => {
    const code = demoCodes(server, 'demo-cash')[0] ?? '';
    const cart = { lines: [], memberDiscountApplied: false, memberTier: null, customerId: text };
    const r = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, code, { cart }),
    });
    await refused(r, 'cart.customerId', char);
  });

  it.each(UNSAFE)('refuses %s in a login user name', async (_what, text, char) => {
    const r = await call<ApiError>(server.url, 'POST', '/v1/sessions', {
      body: { kind: 'password', username: text, password: 'whatever-it-is' },
    });
    await refused(r, 'username', char);
  });

  it('keeps a name whose only whitespace is around it, trimmed', async () => {
    const r = await call<{ name: string }>(server.url, 'POST', '/v1/manager/stores', {
      token: manager,
      body: { id: 'sz-002', name: '  深圳南山店\n', timeZone: 'Asia/Shanghai', groupIds: [] },
    });
    expect(r.status).toBe(200);
    expect(r.json.name).toBe('深圳南山店');
  });
});

describe.each(DRIVERS)('codes into a closed batch on %s', (driver) => {
  let server: TestServer;
  let manager: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    manager = await loginManager(server);
  });
  afterAll(() => server.close());

  const setState = async (state: 'active' | 'paused' | 'revoked') => {
    const r = await call(server.url, 'POST', '/v1/manager/batches/demo-gift/state', {
      token: manager,
      body: { state },
    });
    expect(r.status).toBe(200);
  };
  const importCodes = (codes: string[]) =>
    call<ApiError>(server.url, 'POST', '/v1/manager/batches/demo-gift/import', {
      token: manager,
      body: { codes, claimedAt: null },
    });
  const issueCodes = () =>
    call<ApiError>(server.url, 'POST', '/v1/manager/batches/demo-gift/codes', {
      token: manager,
      body: { count: 3, claimedAt: null },
    });

  it('refuses to import or issue into a paused batch, says so, and takes codes once resumed', async () => {
    await setState('paused');
    const before = await snapshot(server);
    const imported = await importCodes(['PLATFORM-0001']);
    expect(imported.status).toBe(409);
    expect(imported.json).toEqual({
      code: 'CONFLICT',
      message:
        'Batch demo-gift is paused, so no codes can be imported into it; resume it (state "active") and import them again.',
    });
    const issued = await issueCodes();
    expect(issued.status).toBe(409);
    expect(issued.json.message).toContain('is paused, so no codes can be issued');
    expect(await snapshot(server)).toBe(before);

    await setState('active');
    const again = await importCodes(['PLATFORM-0001']);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ imported: 1, duplicates: [] });
  });

  it('refuses to import or issue into a revoked batch', async () => {
    await setState('revoked');
    const before = await snapshot(server);
    const imported = await importCodes(['PLATFORM-0002']);
    expect(imported.status).toBe(409);
    expect(imported.json.code).toBe('CONFLICT');
    expect(imported.json.message).toContain('demo-gift is revoked');
    expect(imported.json.message).toContain('create a new batch');
    const issued = await issueCodes();
    expect(issued.status).toBe(409);
    expect(await snapshot(server)).toBe(before);
    const rows = await server.db.rows("select code from codes where code = 'PLATFORM-0002'");
    expect(rows).toEqual([]);
  });
});
