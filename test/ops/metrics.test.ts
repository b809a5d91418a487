import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BatchPushResponse,
  RedemptionRequest,
  RedemptionResponse,
  SaleResponse,
  Tender,
} from '../../core/protocol';
import { isLoopback, metricsAllowed } from '../../server/ops/metrics-access';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  pairTerminal,
  redemption,
  saleRequest,
  takeLease,
  type PairedTerminal,
} from '../helpers/server-client';

const TOKEN = `metrics-${randomUUID()}`;
const cash = (amountFen: number): Tender =>
  ({ kind: 'cash', amountFen, tenderedFen: amountFen }) as Tender;

/** The value of one sample line of the exposition text (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('who may read /metrics', () => {
  it('answers loopback callers, and others only with the token', () => {
    const open = { token: null, loopback: true };
    const guarded = { token: TOKEN, loopback: true };
    for (const address of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1'])
      expect([address, isLoopback(address)]).toEqual([address, true]);
    for (const address of ['10.0.0.5', '::ffff:10.0.0.5', 'fe80::1', '128.0.0.1'])
      expect([address, isLoopback(address)]).toEqual([address, false]);
    expect(metricsAllowed(open, '127.0.0.1', undefined)).toBe(true);
    expect(metricsAllowed(open, '10.0.0.5', undefined)).toBe(false);
    expect(metricsAllowed(open, '10.0.0.5', `Bearer ${TOKEN}`)).toBe(false);
    expect(metricsAllowed(guarded, '10.0.0.5', `Bearer ${TOKEN}`)).toBe(true);
    expect(metricsAllowed(guarded, '10.0.0.5', `Bearer ${TOKEN}x`)).toBe(false);
    expect(metricsAllowed(guarded, '10.0.0.5', `bearer ${TOKEN}`)).toBe(false);
    expect(metricsAllowed(guarded, '10.0.0.5', undefined)).toBe(false);
  });
});

describe.each(DRIVERS)('metrics and request ids on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  const lines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestServer(driver, {
      logger: pino({ level: 'debug' }, sink),
      // As a remote caller sees it: the loopback exemption off, so the token is needed here too.
      metrics: { token: TOKEN, loopback: false },
    });
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  const scrape = async () => {
    const r = await call(server.url, 'GET', '/metrics', { token: TOKEN });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    return r.text;
  };

  it('refuses a scrape without the token or with a wrong one', async () => {
    const none = await call<{ code: string }>(server.url, 'GET', '/metrics');
    expect([none.status, none.json.code]).toEqual([401, 'UNAUTHENTICATED']);
    const wrong = await call(server.url, 'GET', '/metrics', { token: `${TOKEN}-not` });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('tillpoint_');
    await scrape();
  });

  it('counts redemptions and sales by outcome, and requests by route pattern', async () => {
    const before = await scrape();
    const codes = demoCodes(server, 'demo-cash');
    const redeem = (req: RedemptionRequest) =>
      call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
        token: till.token,
        body: req,
      });
    const first = redemption(till, codes[0] ?? '');
    expect((await redeem(first)).json.outcome.status).toBe('accepted');
    // A replay is the stored answer, not a new decision.
    expect((await redeem(first)).json.outcome.status).toBe('accepted');
    expect((await redeem(redemption(till, codes[0] ?? ''))).json.outcome.status).toBe('rejected');
    const lease = await takeLease(server, till);
    const offline = redemption(till, codes[1] ?? '', {
      at: lease.issuedAt,
      offline: { leaseId: lease.leaseId, discountFen: 400_000 as never },
    });
    const pushed = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      body: { items: [offline] },
    });
    expect(pushed.json.outcomes[0]?.outcome.status).toBe('conflict');
    const sale = saleRequest(till, cartOf([['latte', 'coffee', 2800, 1]]), [], [], [cash(2800)]);
    const sold = await call<SaleResponse>(server.url, 'POST', '/v1/sales', {
      token: till.token,
      body: sale,
    });
    expect(sold.json.outcome.status).toBe('recorded');
    expect(
      (await call(server.url, 'GET', `/v1/sales/${sale.id}`, { token: till.token })).status,
    ).toBe(200);

    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('tillpoint_redemptions_total{outcome="accepted"}')).toBe(1);
    expect(delta('tillpoint_redemptions_total{outcome="rejected"}')).toBe(1);
    expect(delta('tillpoint_redemptions_total{outcome="conflict"}')).toBe(1);
    expect(delta('tillpoint_sales_total{outcome="recorded"}')).toBe(1);
    expect(
      delta('tillpoint_http_requests_total{method="POST",route="/v1/redemptions",status="200"}'),
    ).toBe(3);
    expect(
      delta('tillpoint_http_requests_total{method="GET",route="/v1/sales/:id",status="200"}'),
    ).toBe(1);
    expect(
      delta('tillpoint_http_request_duration_seconds_count{method="POST",route="/v1/sales"}'),
    ).toBe(1);
    // Route patterns only: no id of a sale, redemption or terminal becomes a label.
    for (const id of [sale.id, first.id, offline.id, till.terminalId])
      expect(after).not.toContain(id);
    expect(delta(`tillpoint_write_group_jobs_count{dialect="${driver}"}`)).toBeGreaterThan(0);
    expect(after).toContain('tillpoint_payments{state="paid"} 0');
    expect(after).toContain('tillpoint_reconciliation_backlog{kind="followed"} 0');
    if (driver === 'postgres')
      expect(sample(after, 'tillpoint_db_pool_connections{use="total"}')).toBeGreaterThan(0);
    else expect(after).not.toContain('tillpoint_db_pool_connections{');
    // The token opens the door; it is never shown behind it.
    expect(after).not.toContain(TOKEN);
  });

  it('puts one request id on every log line of a request and in the answer header', async () => {
    const given = `till-42.${randomUUID()}`;
    const r = await call(server.url, 'GET', '/healthz', { headers: { 'x-request-id': given } });
    expect(r.headers.get('x-request-id')).toBe(given);
    // A badly formed id is replaced, not echoed.
    const bad = await call(server.url, 'GET', '/healthz', { headers: { 'x-request-id': 'a b' } });
    const fresh = bad.headers.get('x-request-id') ?? '';
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await call(server.url, 'POST', '/v1/allowance', {
      token: 'x'.repeat(40),
      body: {},
      headers: { 'x-request-id': `${given}-refused` },
    });
    expect(refused.status).toBe(401);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const ofGiven = parsed.filter((l) => l['reqId'] === given);
    expect(ofGiven.map((l) => [l['msg'], l['route'], l['status']])).toEqual([
      ['request answered', '/healthz', 200],
    ]);
    expect(parsed.filter((l) => l['reqId'] === fresh)).toHaveLength(1);
    expect(parsed.filter((l) => l['reqId'] === `${given}-refused`)).toHaveLength(1);
    // Every line logged for a request carries its id.
    const ofRequests = parsed.filter((l) => 'route' in l || 'url' in l || 'req' in l);
    expect(ofRequests.length).toBeGreaterThan(3);
    for (const l of ofRequests) expect(typeof l['reqId']).toBe('string');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});
