import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchPushResponse, RedemptionResponse } from '../../core/protocol';
import { requestHash } from '../../server/ledger/redeem';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import { aBatch } from '../helpers/core-builders';
import {
  call,
  demoCodes,
  loginManager,
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

  it('answers the same request pushed and sent alone concurrently with one outcome', async () => {
    const till = tills[2] as PairedTerminal;
    const req = redemption(till, demoCodes(server, 'demo-cash')[12] ?? '');
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
              token: till.token,
              body: { items: [req] },
            }).then((r) => (r.status === 200 ? JSON.stringify(r.json.outcomes[0]) : r.text))
          : call(server.url, 'POST', '/v1/redemptions', { token: till.token, body: req }).then(
              (r) => r.text,
            ),
      ),
    );
    expect(new Set(replies).size).toBe(1);
    expect(JSON.parse(replies[0] ?? '{}')).toMatchObject({
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

  it('gives concurrent batch pushes from several terminals for overlapping codes one winner per code', async () => {
    const manager = await loginManager(server);
    const batch = aBatch({
      id: 'race-push',
      benefit: { kind: 'cash', valueFen: 100 },
      validity: {
        type: 'fixed',
        from: '2020-01-01T00:00:00.000Z',
        until: '2099-01-01T00:00:00.000Z',
      },
    });
    const created = await call(server.url, 'POST', '/v1/manager/batches', {
      token: manager,
      body: batch,
    });
    expect(created.status).toBe(201);
    const codes = Array.from({ length: 200 }, (_, i) => `RACE-${String(i).padStart(4, '0')}`);
    const imported = await call(server.url, 'POST', '/v1/manager/batches/race-push/import', {
      token: manager,
      body: { codes, claimedAt: null },
    });
    expect(imported.status).toBe(200);
    // Four pushes per till, each a window of 100 codes in its own order (some reversed), so
    // every code is wanted by several pushes at once; single redemptions race them too.
    const windowOf = (p: number) =>
      Array.from({ length: 100 }, (_, k) => codes[(p * 37 + k * 3) % 200] ?? '');
    const pushes = Array.from({ length: 12 }, (_, p) => {
      const till = tills[p % tills.length] as PairedTerminal;
      const window = windowOf(p);
      const ordered = p % 2 === 0 ? window : [...window].reverse();
      return call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
        token: till.token,
        body: { items: ordered.map((c) => redemption(till, c)) },
      });
    });
    const singles = Array.from({ length: 60 }, (_, i) => {
      const till = tills[i % tills.length] as PairedTerminal;
      return call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
        token: till.token,
        body: redemption(till, codes[(i * 7) % 200] ?? ''),
      });
    });
    const pushed = await Promise.all(pushes);
    const single = await Promise.all(singles);
    const winners = new Map<string, number>();
    const outcomes = [
      ...pushed.flatMap((r) => {
        expect(r.status).toBe(200);
        return r.json.outcomes.map((o) => o.outcome);
      }),
      ...single.map((r) => {
        expect(r.status).toBe(200);
        return r.json.outcome;
      }),
    ];
    for (const o of outcomes) {
      if (o.status === 'accepted') winners.set(o.code, (winners.get(o.code) ?? 0) + 1);
      else expect(o).toMatchObject({ status: 'rejected', reason: { code: 'ALREADY_REDEEMED' } });
    }
    const wanted = new Set([
      ...Array.from({ length: 12 }, (_, p) => windowOf(p)).flat(),
      ...Array.from({ length: 60 }, (_, i) => codes[(i * 7) % 200] ?? ''),
    ]);
    expect([...winners.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(winners.keys())).toEqual(wanted);
    const doubles = await server.db.rows(
      "select code, count(*) as n from redemptions where status = 'accepted' group by code having count(*) > 1",
    );
    expect(doubles).toEqual([]);
    const redeemed = await server.db.rows<{ n: number }>(
      "select count(*) as n from codes where batch_id = 'race-push' and state = 'redeemed'",
    );
    expect(Number(redeemed[0]?.n)).toBe(wanted.size);
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

describe('a push that loses an id to a concurrent request, on postgres', () => {
  let server: TestServer;
  let till: PairedTerminal;

  beforeAll(async () => {
    server = await startTestServer('postgres');
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  it('is run again and answers with what the other request stored', async () => {
    const req = redemption(till, demoCodes(server, 'demo-cash')[0] ?? '');
    const stored = JSON.stringify({
      id: req.id,
      outcome: { status: 'rejected', reason: { code: 'NOT_RECEIVED' } },
    });
    // The other request: its row is written but not yet committed while the push decides.
    const other = new pg.Client({ connectionString: server.databaseUrl });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(
        `insert into redemptions (id, code, batch_id, store_id, terminal_id, cashier_id, status,
           discount_fen, day, customer_id, lease_id, at, recorded_at, response, request_hash)
         values ($1, $2, null, $3, $4, null, 'rejected', 0, '2026-01-01', null, null, $5, $5, $6, $7)`,
        [req.id, req.code, till.storeId, till.terminalId, req.at, stored, requestHash(req)],
      );
      const push = call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
        token: till.token,
        body: { items: [req] },
      });
      // Commit once the push waits on that row (it has taken the code and is inserting its own).
      for (let i = 0; i < 200; i++) {
        const waiting = await server.db.rows(
          "select pid from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into \"redemptions\"%'",
        );
        if (waiting.length > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await other.query('commit');
      const r = await push;
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.json.outcomes[0])).toBe(stored);
    } finally {
      await other.end();
    }
    // The attempt that took the code was rolled back: only the other request's answer stands.
    const code = await server.db.rows<{ state: string }>('select state from codes where code = ?', [
      req.code,
    ]);
    expect(code[0]?.state).toBe('issued');
    const rows = await server.db.rows('select id from redemptions where id = ?', [req.id]);
    expect(rows).toHaveLength(1);
  });
});
