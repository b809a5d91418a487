import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  BatchPushResponse,
  RedemptionRequest,
  RedemptionResponse,
} from '../../core/protocol';
import {
  DRIVERS,
  snapshotDatabase,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import {
  call,
  cartOf,
  demoCodes,
  pairTerminal,
  redemption,
  takeLease,
  type PairedTerminal,
} from '../helpers/server-client';

const push = (server: TestServer, till: PairedTerminal, items: RedemptionRequest[]) =>
  call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
    token: till.token,
    body: { items },
  });
const redeemOnline = (server: TestServer, till: PairedTerminal, req: RedemptionRequest) =>
  call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', { token: till.token, body: req });

describe.each(DRIVERS)('the server decides every amount, on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(() => server.close());

  it('holds an offline ¥10 voucher pushed as ¥4,000 for review and stores the server’s ¥10', async () => {
    const lease = await takeLease(server, till);
    const code = demoCodes(server, 'demo-cash')[0] ?? '';
    const req = redemption(till, code, {
      at: lease.issuedAt,
      offline: { leaseId: lease.leaseId, discountFen: 400_000 as never },
    });
    const r = await push(server, till, [req]);
    expect(r.json.outcomes[0]?.outcome).toEqual({
      status: 'conflict',
      reason: { code: 'DISCOUNT_MISMATCH', claimedFen: 400_000, valuedFen: 1000 },
      winner: null,
    });
    const stored = await server.db.rows<{ status: string; discount_fen: number | string }>(
      'select status, discount_fen from redemptions where id = ?',
      [req.id],
    );
    expect(stored.map((s) => [s.status, Number(s.discount_fen)])).toEqual([['conflict', 1000]]);
    const conflict = await server.db.rows<{ reason: string; discount_fen: number | string }>(
      'select reason, discount_fen from conflicts where redemption_id = ?',
      [req.id],
    );
    expect(Number(conflict[0]?.discount_fen)).toBe(400_000);
    expect(JSON.parse(conflict[0]?.reason ?? '{}')).toMatchObject({ code: 'DISCOUNT_MISMATCH' });
    // The customer used the voucher: it cannot be used again anywhere.
    const code2 = await server.db.rows<{ state: string }>(
      'select state from codes where code = ?',
      [code],
    );
    expect(code2[0]?.state).toBe('redeemed');
  });

  it('accepts an offline redemption whose figure matches the server’s valuation', async () => {
    const lease = await takeLease(server, till);
    const req = redemption(till, demoCodes(server, 'demo-cash')[1] ?? '', {
      at: lease.issuedAt,
      offline: { leaseId: lease.leaseId, discountFen: 1000 as never },
    });
    const r = await push(server, till, [req]);
    expect(r.json.outcomes[0]?.outcome).toMatchObject({ status: 'accepted', discountFen: 1000 });
  });

  it('refuses a gift voucher on a cart that prices the gifted item at 9,000,000,000,000 fen', async () => {
    const before = await snapshotDatabase(server);
    const code = demoCodes(server, 'demo-gift')[0] ?? '';
    const cart = cartOf([['croissant', 'bakery', 9_000_000_000_000, 1]]);
    const r = await redeemOnline(server, till, redemption(till, code, { cart }));
    expect(r.json.outcome).toEqual({
      status: 'rejected',
      reason: {
        code: 'PRICE_MISMATCH',
        sku: 'croissant',
        tillFen: 9_000_000_000_000,
        catalogFen: 1500,
      },
    });
    // Only the refusal itself is recorded; the code is still there to be used.
    const state = await server.db.rows<{ state: string }>(
      'select state from codes where code = ?',
      [code],
    );
    expect(state[0]?.state).toBe('issued');
    expect(await snapshotDatabase(server)).not.toBe(before);
  });

  it('values the gift at the catalog price when the till prices it right', async () => {
    const code = demoCodes(server, 'demo-gift')[1] ?? '';
    const cart = cartOf([['croissant', 'bakery', 1500, 1]]);
    const r = await redeemOnline(server, till, redemption(till, code, { cart }));
    expect(r.json.outcome).toMatchObject({ status: 'accepted', discountFen: 1500 });
  });

  it('refuses a cart line the catalog does not have', async () => {
    const code = demoCodes(server, 'demo-cash')[2] ?? '';
    const cart = cartOf([['caviar', 'bakery', 100_000, 1]]);
    const r = await redeemOnline(server, till, redemption(till, code, { cart }));
    expect(r.json.outcome).toEqual({
      status: 'rejected',
      reason: { code: 'PRICE_MISMATCH', sku: 'caviar', tillFen: 100_000, catalogFen: null },
    });
  });

  it('takes categories from the catalog: a croissant relabelled as coffee gets no coffee discount', async () => {
    const code = demoCodes(server, 'demo-discount')[0] ?? '';
    const cart = cartOf([['croissant', 'coffee', 1500, 2]]);
    const r = await redeemOnline(server, till, redemption(till, code, { cart }));
    expect(r.json.outcome).toEqual({ status: 'rejected', reason: { code: 'NO_ELIGIBLE_ITEMS' } });
  });

  it('judges a voucher together with the order’s other vouchers, as the till does', async () => {
    // Demo cash vouchers stack only with other kinds: a second one in the same order is refused.
    const cart = cartOf([['latte', 'coffee', 2800, 4]]);
    const [first, second, alone] = demoCodes(server, 'demo-cash').slice(10, 13);
    const r1 = await redeemOnline(server, till, redemption(till, first ?? '', { cart }));
    expect(r1.json.outcome).toMatchObject({ status: 'accepted', discountFen: 1000 });
    const withCompanion = await redeemOnline(
      server,
      till,
      redemption(till, second ?? '', { cart, companions: [first as never] }),
    );
    expect(withCompanion.json.outcome).toMatchObject({
      status: 'rejected',
      reason: { code: 'NOT_STACKABLE', with: first },
    });
    const single = await redeemOnline(server, till, redemption(till, alone ?? '', { cart }));
    expect(single.json.outcome).toMatchObject({ status: 'accepted', discountFen: 1000 });
  });
});

describe.each(DRIVERS)('idempotency keys belong to their terminal, on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let stranger: PairedTerminal;

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    stranger = await pairTerminal(server, 'gz-001');
  });
  afterAll(() => server.close());

  it('refuses the same id with a different request and changes nothing', async () => {
    const [a, b] = demoCodes(server, 'demo-cash').slice(0, 2);
    const req = redemption(till, a ?? '');
    const first = await redeemOnline(server, till, req);
    expect(first.json.outcome.status).toBe('accepted');
    const before = await snapshotDatabase(server);
    const reused = await call<ApiError>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: { ...req, code: b },
    });
    expect(reused.status).toBe(409);
    expect(reused.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.json.message).toContain(req.id);
    const inBatch = await call<ApiError>(server.url, 'POST', '/v1/redemptions/batch', {
      token: till.token,
      body: { items: [{ ...req, at: new Date().toISOString() }] },
    });
    expect(inBatch.status).toBe(409);
    expect(await snapshotDatabase(server)).toBe(before);
    // The same request again is the stored answer, byte for byte.
    const replay = await redeemOnline(server, till, req);
    expect(replay.text).toBe(first.text);
  });

  it('gives a lost online attempt pushed later with its offline decision the stored outcome', async () => {
    const lease = await takeLease(server, till);
    const req = redemption(till, demoCodes(server, 'demo-cash')[3] ?? '');
    const online = await redeemOnline(server, till, req);
    const pushed = await push(server, till, [
      { ...req, offline: { leaseId: lease.leaseId, discountFen: 1000 as never } },
    ]);
    expect(pushed.status).toBe(200);
    expect(JSON.stringify(pushed.json.outcomes[0])).toBe(online.text);
  });

  it('answers a stranger’s copy of a known id as its own request, telling nothing of the first', async () => {
    const code = demoCodes(server, 'demo-cash')[4] ?? '';
    const req = redemption(till, code);
    const first = await redeemOnline(server, till, req);
    expect(first.json.outcome.status).toBe('accepted');
    const copy = {
      ...req,
      storeId: stranger.storeId,
      terminalId: stranger.terminalId,
    } as RedemptionRequest;
    const theirs = await redeemOnline(server, stranger, copy);
    expect(theirs.status).toBe(200);
    expect(theirs.json.outcome).toMatchObject({
      status: 'rejected',
      reason: { code: 'ALREADY_REDEEMED', storeId: 'sh-001' },
    });
    expect(theirs.text).not.toBe(first.text);
  });

  it('refuses as a conflict an offline redemption dated before its lease was issued', async () => {
    const lease0 = await takeLease(server, till);
    // A till a minute slow is not refused: its clock may lag the server's.
    const slow = redemption(till, demoCodes(server, 'demo-cash')[6] ?? '', {
      at: new Date(Date.parse(lease0.issuedAt) - 60_000).toISOString(),
      offline: { leaseId: lease0.leaseId, discountFen: 1000 as never },
    });
    expect((await push(server, till, [slow])).json.outcomes[0]?.outcome.status).toBe('accepted');
    const lease = await takeLease(server, till);
    const req = redemption(till, demoCodes(server, 'demo-cash')[5] ?? '', {
      at: new Date(Date.parse(lease.issuedAt) - 10 * 60_000).toISOString(),
      offline: { leaseId: lease.leaseId, discountFen: 1000 as never },
    });
    const r = await push(server, till, [req]);
    expect(r.json.outcomes[0]?.outcome).toEqual({
      status: 'conflict',
      reason: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'before_lease' },
      winner: null,
    });
  });
});
