import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchPushResponse, RedemptionResponse } from '../../core/protocol';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  demoCodes,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

describe.each(DRIVERS)('exactly-once redemption on %s', (driver) => {
  let server: TestServer;
  let tills: PairedTerminal[];

  beforeAll(async () => {
    server = await startTestServer(driver);
    tills = [
      await pairTerminal(server, 'sh-001'),
      await pairTerminal(server, 'gz-001'),
      await pairTerminal(server, 'sz-001'),
    ];
  });
  afterAll(() => server.close());

  it('gives 200 clients racing for 50 codes exactly 50 successes', async () => {
    const codes = demoCodes(server, 'demo-group-buy').slice(0, 50);
    const attempts = Array.from({ length: 200 }, (_, i) => {
      const till = tills[i % tills.length] as PairedTerminal;
      return call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
        token: till.token,
        body: redemption(till, codes[i % codes.length] ?? ''),
      });
    });
    const outcomes = (await Promise.all(attempts)).map((r) => {
      expect(r.status).toBe(200);
      return r.json.outcome;
    });
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(50);
    const refused = outcomes.filter((o) => o.status !== 'accepted');
    expect(refused).toHaveLength(150);
    for (const o of refused)
      expect(o).toMatchObject({ status: 'rejected', reason: { code: 'ALREADY_REDEEMED' } });
    const doubles = await server.db.rows(
      "select code, count(*) as n from redemptions where status = 'accepted' group by code having count(*) > 1",
    );
    expect(doubles).toEqual([]);
    const redeemed = await server.db.rows<{ n: number }>(
      "select count(*) as n from codes where batch_id = 'demo-group-buy' and state = 'redeemed'",
    );
    expect(Number(redeemed[0]?.n)).toBe(50);
  });

  it('records one redemption when the same request is sent concurrently', async () => {
    const till = tills[0] as PairedTerminal;
    const req = redemption(till, demoCodes(server, 'demo-cash')[10] ?? '');
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(server.url, 'POST', '/v1/redemptions', { token: till.token, body: req }),
      ),
    );
    const texts = new Set(replies.map((r) => r.text));
    expect(texts.size).toBe(1);
    expect(JSON.parse([...texts][0] ?? '{}')).toMatchObject({
      id: req.id,
      outcome: { status: 'accepted' },
    });
    const rows = await server.db.rows('select id from redemptions where code = ?', [req.code]);
    expect(rows).toHaveLength(1);
  });

  it('keeps a redemption whose answer was lost to a dropped connection, and replays it', async () => {
    const till = tills[0] as PairedTerminal;
    const req = redemption(till, demoCodes(server, 'demo-cash')[11] ?? '');
    const body = JSON.stringify(req);
    // Send the whole request, then cut the connection before reading the answer.
    await new Promise<void>((resolve) => {
      const url = new URL(`${server.url}/v1/redemptions`);
      const r = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${till.token}`,
          'content-length': Buffer.byteLength(body),
        },
      });
      r.on('error', () => resolve());
      r.end(body, () => {
        r.destroy();
        resolve();
      });
    });
    let replay = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    for (let i = 0; i < 20 && replay.status !== 200; i++)
      replay = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
        token: till.token,
        body: req,
      });
    expect(replay.json.outcome.status).toBe('accepted');
    const again = await call(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: req,
    });
    expect(again.text).toBe(replay.text);
    const rows = await server.db.rows('select id from redemptions where code = ?', [req.code]);
    expect(rows).toHaveLength(1);
  });

  it('answers a replayed batch push with the same outcomes and changes nothing', async () => {
    const till = tills[1] as PairedTerminal;
    const codes = demoCodes(server, 'demo-threshold').slice(20, 30);
    const items = [...codes.map((c) => redemption(till, c)), redemption(till, 'UNKNOWN-CODE-1')];
    const first = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      body: { items },
    });
    expect(first.status).toBe(200);
    expect(first.json.outcomes.map((o) => o.id)).toEqual(items.map((i) => i.id));
    // No cart: a threshold voucher needs an order to check the threshold against.
    const before = await server.db.rows<{ n: number }>('select count(*) as n from redemptions');
    const replay = await call(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      body: { items },
    });
    expect(replay.text).toBe(first.text);
    const after = await server.db.rows<{ n: number }>('select count(*) as n from redemptions');
    expect(Number(after[0]?.n)).toBe(Number(before[0]?.n));
  });

  it('pushes a batch of 500 with one outcome per item in order', async () => {
    const till = tills[0] as PairedTerminal;
    const codes = demoCodes(server, 'demo-cash').slice(20, 50);
    const items = Array.from({ length: 500 }, (_, i) =>
      redemption(till, codes[i % codes.length] ?? '', { id: randomUUID() as never }),
    );
    const r = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      body: { items },
    });
    expect(r.status).toBe(200);
    expect(r.json.outcomes).toHaveLength(500);
    expect(r.json.outcomes.map((o) => o.id)).toEqual(items.map((i) => i.id));
    expect(r.json.outcomes.filter((o) => o.outcome.status === 'accepted')).toHaveLength(30);
  });
});
