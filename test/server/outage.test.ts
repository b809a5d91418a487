import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AllowanceLease,
  BatchPushResponse,
  ConflictsPage,
  ConflictView,
  RedemptionRequest,
} from '../../core/protocol';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  demoCodes,
  loginManager,
  pairTerminal,
  redemption,
  takeLease,
  type PairedTerminal,
} from '../helpers/server-client';

function offline(
  till: PairedTerminal,
  code: string,
  l: AllowanceLease,
  at: string,
  discountFen = 1000,
): RedemptionRequest {
  return redemption(till, code, {
    at,
    offline: { leaseId: l.leaseId, discountFen: discountFen as never },
  });
}

describe.each(DRIVERS)('outage semantics on %s', (driver) => {
  let server: TestServer;
  let a: PairedTerminal;
  let b: PairedTerminal;
  let manager: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    a = await pairTerminal(server, 'sh-001');
    b = await pairTerminal(server, 'gz-001');
    manager = await loginManager(server);
  });
  afterAll(() => server.close());

  it('accepts the first of two offline uses of one code and flags the second with the winner', async () => {
    const [la, lb] = [await takeLease(server, a), await takeLease(server, b)];
    const code = demoCodes(server, 'demo-cash')[0] ?? '';
    // Dated under their leases: an offline redemption older than its lease is refused.
    const early = la.issuedAt;
    const late = new Date(Date.parse(lb.issuedAt) + 1).toISOString();
    const first = offline(a, code, la, early);
    const pushA = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: a.token,
      body: { items: [first] },
    });
    expect(pushA.json.outcomes[0]?.outcome).toMatchObject({
      status: 'accepted',
      at: new Date(early).toISOString(),
    });
    const second = offline(b, code, lb, late);
    const pushB = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: b.token,
      body: { items: [second] },
    });
    expect(pushB.json.outcomes[0]?.outcome).toEqual({
      status: 'conflict',
      reason: {
        code: 'ALREADY_REDEEMED',
        at: new Date(early).toISOString(),
        storeId: 'sh-001',
        terminalId: a.terminalId,
        terminalName: 'till sh-001',
      },
      winner: {
        redemptionId: first.id,
        storeId: 'sh-001',
        terminalId: a.terminalId,
        terminalName: 'till sh-001',
        at: new Date(early).toISOString(),
      },
    });
    const conflicts = await call<ConflictsPage>(server.url, 'GET', '/v1/manager/conflicts', {
      token: manager,
    });
    expect(conflicts.json.conflicts.map((c) => c.redemptionId)).toContain(second.id);
    const stored = await server.db.rows(
      'select redemption_id from conflicts where redemption_id = ?',
      [second.id],
    );
    expect(stored).toHaveLength(1);
  });

  it('turns offline redemptions beyond the lease count into conflicts without a winner', async () => {
    await server.db.exec("update stores set offline_max_count = 2 where id = 'sz-001'");
    const c = await pairTerminal(server, 'sz-001');
    const l = await takeLease(server, c);
    expect(l.maxCount).toBe(2);
    const codes = demoCodes(server, 'demo-cash').slice(1, 4);
    const at = l.issuedAt;
    const items = codes.map((code) => offline(c, code, l, at));
    const push = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: c.token,
      body: { items },
    });
    expect(push.json.outcomes.map((o) => o.outcome.status)).toEqual([
      'accepted',
      'accepted',
      'conflict',
    ]);
    expect(push.json.outcomes[2]?.outcome).toEqual({
      status: 'conflict',
      reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'count' },
      winner: null,
    });
    // Nothing lost: every pushed item has a stored outcome.
    const stored = await server.db.rows('select id from redemptions where terminal_id = ?', [
      c.terminalId,
    ]);
    expect(stored).toHaveLength(3);
  });

  it('refuses offline redemptions over the lease value or naming an unknown lease', async () => {
    const l = await takeLease(server, a);
    const codes = demoCodes(server, 'demo-cash').slice(5, 7);
    const at = l.issuedAt;
    const over = offline(a, codes[0] ?? '', l, at, 500_001);
    const stranger = redemption(a, codes[1] ?? '', {
      at,
      offline: { leaseId: '00000000-0000-4000-8000-000000000000', discountFen: 100 as never },
    });
    const push = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: a.token,
      body: { items: [over, stranger] },
    });
    expect(push.json.outcomes.map((o) => o.outcome)).toEqual([
      {
        status: 'conflict',
        reason: {
          code: 'OFFLINE_ALLOWANCE_EXCEEDED',
          limit: 'value',
          leftFen: l.maxValueFen,
          neededFen: 500_001,
        },
        winner: null,
      },
      {
        status: 'conflict',
        reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'none' },
        winner: null,
      },
    ]);
  });

  it('gives a retried renewal the lease its first attempt got, replacing nothing', async () => {
    const requestId = randomUUID();
    const first = await takeLease(server, b, requestId);
    const retry = await takeLease(server, b, requestId);
    expect(retry).toEqual(first);
    const live = await server.db.rows<{ lease_id: string }>(
      'select lease_id from leases where terminal_id = ? and replaced_at is null',
      [b.terminalId],
    );
    expect(live.map((r) => r.lease_id)).toEqual([first.leaseId]);
  });

  it('accepts offline redemptions under the lease a till kept when the answer to its renewal was lost', async () => {
    const kept = await takeLease(server, b);
    // The renewal reached the server, its answer did not: the till still holds `kept`.
    const lost = await takeLease(server, b);
    expect(lost.leaseId).not.toBe(kept.leaseId);
    await new Promise((r) => setTimeout(r, 20));
    const after = new Date().toISOString();
    const push = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: b.token,
      body: { items: [offline(b, demoCodes(server, 'demo-cash')[8] ?? '', kept, after)] },
    });
    expect(push.json.outcomes[0]?.outcome).toMatchObject({ status: 'accepted' });
    const charged = await server.db.rows<{ used_count: number }>(
      'select used_count from leases where lease_id = ?',
      [kept.leaseId],
    );
    expect(Number(charged[0]?.used_count)).toBe(1);
  });

  it('refuses redemptions made after its replacement under a lease two renewals old', async () => {
    const old = await takeLease(server, b);
    await takeLease(server, b);
    await takeLease(server, b);
    await new Promise((r) => setTimeout(r, 20));
    const after = new Date().toISOString();
    const push = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: b.token,
      body: { items: [offline(b, demoCodes(server, 'demo-cash')[9] ?? '', old, after)] },
    });
    expect(push.json.outcomes[0]?.outcome).toEqual({
      status: 'conflict',
      reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'expired' },
      winner: null,
    });
  });

  it('still charges a lease two renewals old for what was made before it was replaced', async () => {
    const old = await takeLease(server, b);
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await takeLease(server, b);
    await takeLease(server, b);
    const push = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: b.token,
      body: { items: [offline(b, demoCodes(server, 'demo-cash')[10] ?? '', old, before)] },
    });
    expect(push.json.outcomes[0]?.outcome).toMatchObject({ status: 'accepted' });
  });

  it('refuses a renewal without a request id and changes nothing', async () => {
    const before = await server.db.rows('select count(*) as n from leases');
    const r = await call<{ code: string; message: string }>(server.url, 'POST', '/v1/allowance', {
      token: b.token,
      body: {},
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('requestId');
    expect(await server.db.rows('select count(*) as n from leases')).toEqual(before);
  });

  it('lets a manager accept the loss of an over-allowance redemption, which then uses the code up', async () => {
    const open = await call<ConflictsPage>(
      server.url,
      'GET',
      '/v1/manager/conflicts?state=open&storeId=sz-001',
      { token: manager },
    );
    const target = open.json.conflicts[0];
    expect(target).toBeDefined();
    const resolved = await call<ConflictView>(
      server.url,
      'POST',
      `/v1/manager/conflicts/${target?.redemptionId}/resolve`,
      { token: manager, body: { resolution: 'accept_loss' } },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.json).toMatchObject({ resolution: 'accept_loss', resolvedBy: 'admin' });
    const code = await server.db.rows<{ state: string }>('select state from codes where code = ?', [
      target?.code,
    ]);
    expect(code[0]?.state).toBe('redeemed');
    const stillOpen = await call<ConflictsPage>(
      server.url,
      'GET',
      '/v1/manager/conflicts?state=open&storeId=sz-001',
      { token: manager },
    );
    expect(stillOpen.json.conflicts.map((c) => c.redemptionId)).not.toContain(target?.redemptionId);
  });

  it('lets a manager void the code of a conflict', async () => {
    const open = await call<ConflictsPage>(
      server.url,
      'GET',
      '/v1/manager/conflicts?state=open&storeId=gz-001',
      { token: manager },
    );
    const target = open.json.conflicts.find((c) => c.reason.code === 'ALREADY_REDEEMED');
    const r = await call<ConflictView>(
      server.url,
      'POST',
      `/v1/manager/conflicts/${target?.redemptionId}/resolve`,
      { token: manager, body: { resolution: 'void' } },
    );
    expect(r.json.resolution).toBe('void');
    const code = await server.db.rows<{ state: string }>('select state from codes where code = ?', [
      target?.code,
    ]);
    expect(code[0]?.state).toBe('void');
    const again = await call(
      server.url,
      'POST',
      '/v1/manager/conflicts/' + String(target?.redemptionId) + '/resolve',
      { token: manager, body: { resolution: 'accept_loss' } },
    );
    expect(again.status).toBe(409);
  });
});
