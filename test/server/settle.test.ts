import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, AuditVerdict, RedemptionResponse } from '../../core/protocol';
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

describe.each(DRIVERS)('settling an unanswered redemption on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let otherTill: PairedTerminal;
  let codes: string[];

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    otherTill = await pairTerminal(server, 'gz-001');
    codes = demoCodes(server, 'demo-cash');
  });
  afterAll(() => server.close());

  const settle = (id: string, terminal: PairedTerminal = till, body: unknown = {}) =>
    call(server.url, 'POST', `/v1/redemptions/${id}/settle`, { token: terminal.token, body });

  const codeState = async (code: string) =>
    (await server.db.rows<{ state: string }>('select state from codes where code = ?', [code]))[0]
      ?.state;

  it('answers a committed redemption with its stored bytes, exactly as a replay does', async () => {
    const req = redemption(till, codes[0] ?? '');
    const redeemed = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    expect(redeemed.json.outcome.status).toBe('accepted');

    const settled = await settle(req.id);
    expect(settled.status).toBe(200);
    expect(settled.headers.get('content-type')).toContain('application/json');
    expect(settled.text).toBe(redeemed.text);
    expect(await codeState(req.code)).toBe('redeemed');
    const rows = await server.db.rows('select id from redemptions where code = ?', [req.code]);
    expect(rows).toHaveLength(1);
  });

  it('stores NOT_RECEIVED for an unknown id, and a late copy of the request then redeems nothing', async () => {
    const req = redemption(till, codes[1] ?? '');
    const settled = await settle(req.id);
    expect(settled.status).toBe(200);
    expect(JSON.parse(settled.text)).toEqual({
      id: req.id,
      outcome: { status: 'rejected', reason: { code: 'NOT_RECEIVED' } },
    });

    // The lost request arrives late: it gets the stored refusal, byte for byte.
    const late = await call(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    expect(late.status).toBe(200);
    expect(late.text).toBe(settled.text);
    // …and so does a late copy inside a batch push.
    const pushed = await call(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      body: { items: [req] },
    });
    expect(pushed.text).toBe(`{"outcomes":[${settled.text}]}`);

    expect(await codeState(req.code)).toBe('issued');
    const accepted = await server.db.rows(
      "select id from redemptions where code = ? and status = 'accepted'",
      [req.code],
    );
    expect(accepted).toEqual([]);
    const stored = await server.db.rows<{ status: string; terminal_id: string }>(
      'select status, terminal_id from redemptions where id = ?',
      [req.id],
    );
    expect(stored).toEqual([{ status: 'rejected', terminal_id: till.terminalId }]);

    // The code itself was never touched: a fresh scan of it still redeems.
    const fresh = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, req.code),
    });
    expect(fresh.json.outcome.status).toBe('accepted');
  });

  it('gives the same bytes when settled twice, and records each settlement in the audit chain', async () => {
    const unknown = randomUUID();
    const first = await settle(unknown);
    const second = await settle(unknown);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    const rows = await server.db.rows('select id from redemptions where id = ?', [unknown]);
    expect(rows).toHaveLength(1);

    const audit = await server.db.rows<{ action: string; actor: string; after: string }>(
      'select action, actor, after from audit_log where subject = ? order by seq',
      [`redemption:${unknown}`],
    );
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['redemption.settled', `terminal:${till.terminalId}`],
      ['redemption.settled', `terminal:${till.terminalId}`],
    ]);
    expect(JSON.parse(audit[0]?.after ?? 'null')).toMatchObject({
      status: 'rejected',
      reason: { code: 'NOT_RECEIVED' },
    });
    const admin = await loginManager(server);
    const verdict = await call<AuditVerdict>(server.url, 'GET', '/v1/audit/verify', {
      token: admin,
    });
    expect(verdict.json.ok).toBe(true);
  });

  it("settles only its own id: another terminal's redemption under the same id is neither told nor blocked", async () => {
    const req = redemption(otherTill, demoCodes(server, 'demo-gift')[0] ?? '');
    const theirs = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: otherTill.token,
      body: req,
    });
    expect(theirs.status).toBe(200);
    expect(theirs.json.outcome.status).toBe('accepted');

    // A stranger "settling" the same id settles an id of its own: NOT_RECEIVED, nothing of theirs.
    const r = await settle(req.id, till);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      id: req.id,
      outcome: { status: 'rejected', reason: { code: 'NOT_RECEIVED' } },
    });
    expect(r.text).not.toContain(req.code);
    expect(r.text).not.toContain('accepted');

    // The rightful till still gets its own stored outcome, byte for byte.
    const replay = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: otherTill.token,
      body: req,
    });
    expect(replay.text).toBe(theirs.text);
    const mine = await settle(req.id, otherTill);
    expect(mine.text).toBe(theirs.text);
  });

  it("a stranger settling an id first does not make the rightful till's redemption NOT_RECEIVED", async () => {
    const req = redemption(otherTill, demoCodes(server, 'demo-gift')[1] ?? '');
    const squat = await settle(req.id, till);
    expect(squat.json).toMatchObject({ outcome: { reason: { code: 'NOT_RECEIVED' } } });
    const rightful = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: otherTill.token,
      body: req,
    });
    expect(rightful.status).toBe(200);
    expect(rightful.json.outcome.status).toBe('accepted');
  });

  it('refuses a settlement without a valid terminal token and changes nothing', async () => {
    const before = await snapshot(server);
    const id = randomUUID();
    const anonymous = await call<ApiError>(server.url, 'POST', `/v1/redemptions/${id}/settle`, {
      body: {},
    });
    expect(anonymous.status).toBe(401);
    const forged = await call<ApiError>(server.url, 'POST', `/v1/redemptions/${id}/settle`, {
      token: 'not-a-token',
      body: {},
    });
    expect(forged.status).toBe(401);
    expect(forged.json.code).toBe('UNAUTHENTICATED');
    expect(await snapshot(server)).toBe(before);
  });

  it.each([
    ['not a UUID', 'settle-me'],
    ['SQL', encodeURIComponent("' OR 1=1; DROP TABLE redemptions; --")],
    ['a path trick', encodeURIComponent('../batch')],
    ['a UUID with junk after it', `${randomUUID()}x`],
    ['a long string', 'a'.repeat(150)],
  ])('answers a hostile id (%s) with a clear 400 and changes nothing', async (_, id) => {
    const before = await snapshot(server);
    const r = await settle(id);
    expect(r.status).toBe(400);
    const error = r.json as ApiError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('redemption id in the path');
    expect(await snapshot(server)).toBe(before);
  });

  it('answers an id longer than any path value with a 414 ApiError and changes nothing', async () => {
    const before = await snapshot(server);
    const r = await settle('a'.repeat(300));
    expect(r.status).toBe(414);
    const error = r.json as ApiError;
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('longer than any id or code');
    expect(await snapshot(server)).toBe(before);
  });

  it('answers a body other than {} with a clear 400 and changes nothing', async () => {
    const before = await snapshot(server);
    const r = await settle(randomUUID(), till, { code: codes[2] });
    expect(r.status).toBe(400);
    expect((r.json as ApiError).message).toContain('send {}');
    expect(await snapshot(server)).toBe(before);
  });
});
