import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type {
  AllowanceLease,
  ApiError,
  ChangesPage,
  RedemptionResponse,
  ServerEvent,
  Session,
} from '../../core/protocol';
import { Cart } from '../../core/vouchers';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  demoCodes,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

describe.each(DRIVERS)('terminal API on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  it('answers healthz and readyz', async () => {
    expect((await call(server.url, 'GET', '/healthz')).json).toEqual({ ok: true });
    expect((await call(server.url, 'GET', '/readyz')).json).toEqual({ ok: true });
  });

  it('answers CORS preflights and marks every answer as readable from any origin', async () => {
    const pre = await call(server.url, 'OPTIONS', '/v1/redemptions', {
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('X-Cashier-Session');
    // The till's queue depth rides its pushes and pulls (renderer/data/queue-depth.ts).
    expect(pre.headers.get('access-control-allow-headers')).toContain('X-Till-Queue');
    const health = await call(server.url, 'GET', '/healthz');
    expect(health.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('pairs a terminal once per pairing code', async () => {
    const code = server.demo.pairingCodes.find((p) => p.storeId === 'gz-001');
    const first = await call(server.url, 'POST', '/v1/terminals/pair', {
      body: { pairingCode: code?.code, name: 'till 9' },
    });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ store: { id: 'gz-001' }, codePublicKey: till.publicKey });
    const again = await call<ApiError>(server.url, 'POST', '/v1/terminals/pair', {
      body: { pairingCode: code?.code, name: 'till 10' },
    });
    expect(again.status).toBe(400);
    expect(again.json.code).toBe('PAIRING_CODE_INVALID');
  });

  it('logs a cashier in by PIN on a paired terminal and refuses a wrong PIN', async () => {
    const cashier = server.demo.cashiers.find((c) => c.storeId === 'sh-001');
    const ok = await call<Session>(server.url, 'POST', '/v1/sessions/pin', {
      token: till.token,
      body: { kind: 'pin', pin: cashier?.pin },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.user).toMatchObject({ role: 'cashier', storeId: 'sh-001' });
    const other = server.demo.cashiers.find((c) => c.storeId === 'gz-001');
    const wrong = await call<ApiError>(server.url, 'POST', '/v1/sessions/pin', {
      token: till.token,
      body: { kind: 'pin', pin: other?.pin },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.code).toBe('LOGIN_FAILED');
  });

  it('redeems a code once and replays the stored outcome byte for byte', async () => {
    const code = demoCodes(server, 'demo-cash')[0] ?? '';
    const req = redemption(till, code);
    const first = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    expect(first.status).toBe(200);
    expect(first.json.outcome).toMatchObject({
      status: 'accepted',
      code,
      discountFen: 1000,
      storeId: 'sh-001',
    });
    const replay = await call(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    expect(replay.text).toBe(first.text);
    const second = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, code),
    });
    expect(second.json.outcome).toMatchObject({
      status: 'rejected',
      reason: { code: 'ALREADY_REDEEMED', storeId: 'sh-001' },
    });
    const rows = await server.db.rows<{ n: number }>(
      "select count(*) as n from redemptions where code = ? and status = 'accepted'",
      [code],
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('names the cashier of the session in the audit log', async () => {
    const cashier = server.demo.cashiers.find((c) => c.storeId === 'sh-001');
    const session = await call<Session>(server.url, 'POST', '/v1/sessions/pin', {
      token: till.token,
      body: { kind: 'pin', pin: cashier?.pin },
    });
    const code = demoCodes(server, 'demo-cash')[5] ?? '';
    const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      headers: { 'x-cashier-session': session.json.token },
      body: redemption(till, code),
    });
    expect(r.json.outcome.status).toBe('accepted');
    const audit = await server.db.rows<{ actor: string }>(
      'select actor from audit_log where subject = ?',
      [`code:${code}`],
    );
    expect(audit.map((a) => a.actor)).toEqual([session.json.user.id]);
  });

  it('refuses a voucher that is not valid at this store with the rule engine reason', async () => {
    const code = demoCodes(server, 'demo-general')[0] ?? ''; // south region only
    const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, code),
    });
    expect(r.status).toBe(200);
    expect(r.json.outcome).toMatchObject({ status: 'rejected', reason: { code: 'WRONG_STORE' } });
  });

  it('evaluates a cart with the core rules', async () => {
    const code = demoCodes(server, 'demo-threshold')[0] ?? '';
    const line = (
      lineId: string,
      sku: string,
      category: string,
      unitPriceFen: number,
      quantity: number,
    ) => ({
      lineId,
      sku,
      category,
      name: sku,
      unitPriceFen,
      quantity,
    });
    const small = Cart.parse({
      lines: [line('l1', 'latte', 'coffee', 2800, 1)],
      memberDiscountApplied: false,
      memberTier: null,
      customerId: null,
    });
    const refused = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, code, { cart: small }),
    });
    expect(refused.json.outcome).toMatchObject({
      status: 'rejected',
      reason: { code: 'THRESHOLD_NOT_MET' },
    });
    const big = Cart.parse({ ...small, lines: [line('l1', 'latte', 'coffee', 2800, 4)] });
    const ok = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, code, { cart: big }),
    });
    expect(ok.json.outcome).toMatchObject({ status: 'accepted', discountFen: 2000 });
  });

  it('rejects unknown codes and forged signed codes without touching any code', async () => {
    const unknown = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, 'NOPE-1234'),
    });
    expect(unknown.json.outcome).toMatchObject({
      status: 'rejected',
      reason: { code: 'UNKNOWN_CODE' },
    });
    const genuine = demoCodes(server, 'demo-cash')[1] ?? '';
    const last = genuine.at(-1) === 'A' ? 'B' : 'A';
    const forged = `${genuine.slice(0, -1)}${last}`;
    const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, forged),
    });
    expect(r.json.outcome).toMatchObject({ status: 'rejected', reason: { code: 'FORGED_CODE' } });
    const state = await server.db.rows<{ state: string }>(
      'select state from codes where code = ?',
      [genuine],
    );
    expect(state[0]?.state).toBe('issued');
  });

  it('serves the change feed in pages, scoped to the store', async () => {
    const seen: ChangesPage['changes'] = [];
    let cursor = '';
    for (let i = 0; i < 100; i++) {
      const page = await call<ChangesPage>(
        server.url,
        'GET',
        `/v1/changes?since=${cursor}&limit=100`,
        { token: till.token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.json.changes);
      cursor = page.json.cursor;
      if (!page.json.hasMore) break;
    }
    const batchIds = new Set<string>(seen.flatMap((c) => (c.type === 'batch' ? [c.batch.id] : [])));
    expect(batchIds.has('demo-cash')).toBe(true);
    expect(batchIds.has('demo-discount')).toBe(true); // east region
    expect(batchIds.has('demo-general')).toBe(false); // south only
    expect(seen.filter((c) => c.type === 'store')).toHaveLength(4);
    const redeemedCode = demoCodes(server, 'demo-cash')[0];
    const states = seen.filter((c) => c.type === 'code' && c.code.code === redeemedCode);
    expect(states.at(-1)).toMatchObject({ code: { state: 'redeemed' } });
    const empty = await call<ChangesPage>(server.url, 'GET', `/v1/changes?since=${cursor}`, {
      token: till.token,
    });
    expect(empty.json).toEqual({ changes: [], cursor, hasMore: false });
  });

  it('refuses a cursor it never gave out', async () => {
    const r = await call<ApiError>(server.url, 'GET', '/v1/changes?since=garbage', {
      token: till.token,
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('cursor');
  });

  it('grants an offline allowance lease from the store settings', async () => {
    const r = await call<AllowanceLease>(server.url, 'POST', '/v1/allowance', {
      token: till.token,
      body: { requestId: randomUUID() },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      terminalId: till.terminalId,
      storeId: 'sh-001',
      maxCount: 200,
      maxValueFen: 500_000,
    });
    expect(Date.parse(r.json.expiresAt) - Date.parse(r.json.issuedAt)).toBe(24 * 3_600_000);
  });

  it('looks up a code visible to the store and hides the others', async () => {
    const code = demoCodes(server, 'demo-gift')[0] ?? '';
    const r = await call<{ code: { state: string }; batch: { id: string } }>(
      server.url,
      'GET',
      `/v1/codes/${code}`,
      { token: till.token },
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ code: { state: 'issued' }, batch: { id: 'demo-gift' } });
    const south = demoCodes(server, 'demo-general')[0] ?? '';
    const hidden = await call<ApiError>(server.url, 'GET', `/v1/codes/${south}`, {
      token: till.token,
    });
    expect(hidden.status).toBe(404);
    expect(hidden.json.code).toBe('NOT_FOUND');
  });

  it('says hello on the event socket and nudges when the feed moves', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/events?token=${till.token}`);
    const messages: ServerEvent[] = [];
    const next = () =>
      new Promise<ServerEvent>((resolve, reject) => {
        ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as ServerEvent));
        ws.once('error', reject);
      });
    const hello = await next();
    messages.push(hello);
    expect(hello.type).toBe('hello');
    const seq = (c: string) => parseInt(c.slice(1), 36);
    // A nudge for an earlier test's write may still be on its way: wait for one past the hello.
    const nudge = new Promise<ServerEvent>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const event = JSON.parse(data.toString()) as ServerEvent;
        if (event.type !== 'changes' || seq(event.cursor) > seq(hello.cursor)) resolve(event);
      });
    });
    await call(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, demoCodes(server, 'demo-cash')[2] ?? ''),
    });
    const event = await nudge;
    expect(event.type).toBe('changes');
    expect(seq(event.cursor)).toBeGreaterThan(seq(hello.cursor));
    ws.close();
  });

  it('closes the event socket for a bad token', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/events?token=forged`);
    const code = await new Promise<number>((resolve) =>
      ws.once('close', (c: number) => resolve(c)),
    );
    expect(code).toBe(4401);
  });
});
