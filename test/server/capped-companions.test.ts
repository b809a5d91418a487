import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BatchPushResponse,
  RedemptionOutcome,
  RedemptionRequest,
  RedemptionResponse,
} from '../../core/protocol';
import { aBatch } from '../helpers/core-builders';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  cartOf,
  loginManager,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

/**
 * Two codes of one batch with a daily limit on one order: each is redeemed with the other as its
 * companion, and the first one's use must count once (as a voucher of the order), not also in
 * today's usage. Both the single route and the batch push, which must decide alike.
 */

type Route = 'single' | 'push';
const ROUTES: readonly Route[] = ['single', 'push'];
const cart = cartOf([['latte', 'coffee', 2800, 2]]);
const memberCart = { ...cart, customerId: 'member-cap-7' };

describe.each(DRIVERS)('codes of a capped batch on one order, on %s', (driver) => {
  let server: TestServer;
  let till: PairedTerminal;
  let other: PairedTerminal;
  let manager: string;
  let batchNo = 0;

  beforeAll(async () => {
    server = await startTestServer(driver);
    till = await pairTerminal(server, 'sh-001');
    other = await pairTerminal(server, 'gz-001');
    manager = await loginManager(server);
  });
  afterAll(() => server.close());

  /** A fresh batch (nothing used today) of cash vouchers, up to 4 a order, with its codes. */
  async function cappedBatch(
    limits: { dailyCap?: number; perCustomerDailyLimit?: number },
    count = 2,
  ): Promise<string[]> {
    batchNo += 1;
    const id = `cap-${batchNo}`;
    const post = async (path: string, body: unknown) => {
      const r = await call(server.url, 'POST', path, { token: manager, body });
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${r.text}`);
    };
    await post(
      '/v1/manager/batches',
      aBatch({
        id,
        benefit: { kind: 'cash', valueFen: 300 },
        validity: {
          type: 'fixed',
          from: '2020-01-01T00:00:00.000Z',
          until: '2099-01-01T00:00:00.000Z',
        },
        perOrderLimit: 4,
        ...limits,
      }),
    );
    const codes = Array.from({ length: count }, (_, i) => `CAP${batchNo}-${i + 1}`);
    await post(`/v1/manager/batches/${id}/import`, { codes, claimedAt: null });
    return codes;
  }

  /** Sends the requests in turn (single route) or in one push, and returns the outcomes. */
  async function send(
    route: Route,
    requests: readonly RedemptionRequest[],
    terminal = till,
  ): Promise<RedemptionOutcome[]> {
    if (route === 'single') {
      const out: RedemptionOutcome[] = [];
      for (const body of requests) {
        const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
          token: terminal.token,
          body,
        });
        expect(r.status).toBe(200);
        out.push(r.json.outcome);
      }
      return out;
    }
    const r = await call<BatchPushResponse>(server.url, 'POST', '/v1/redemptions/batch', {
      token: terminal.token,
      body: { items: requests },
    });
    expect(r.status).toBe(200);
    return r.json.outcomes.map((x) => x.outcome);
  }

  /** One order's codes, each sent with all the order's codes as companions (as the till at Pay). */
  const atPay = (codes: readonly string[], sequence: readonly string[], orderCart = cart) =>
    sequence.map((code) =>
      redemption(till, code, {
        cart: orderCart,
        companions: codes.filter((c) => c !== code) as never,
      }),
    );

  describe.each(ROUTES)('through the %s route', (route) => {
    it('accepts both codes under a daily cap of 2, in either order', async () => {
      for (const reversed of [false, true]) {
        const codes = await cappedBatch({ dailyCap: 2 });
        const sequence = reversed ? [...codes].reverse() : codes;
        const outcomes = await send(route, atPay(codes, sequence));
        expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
      }
    });

    it('accepts exactly one under a daily cap of 1, the other refused with the cap, in either order', async () => {
      for (const reversed of [false, true]) {
        const codes = await cappedBatch({ dailyCap: 1 });
        const sequence = reversed ? [...codes].reverse() : codes;
        const outcomes = await send(route, atPay(codes, sequence));
        expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(1);
        expect(outcomes.find((o) => o.status !== 'accepted')).toEqual({
          status: 'rejected',
          reason: { code: 'DAILY_CAP_REACHED', cap: 1 },
        });
      }
    });

    it("accepts exactly one under a per-customer daily limit of 1 on the customer's order", async () => {
      const codes = await cappedBatch({ perCustomerDailyLimit: 1 });
      const outcomes = await send(route, atPay(codes, codes, memberCart));
      expect(outcomes[0]?.status).toBe('accepted');
      expect(outcomes[1]).toEqual({
        status: 'rejected',
        reason: { code: 'CUSTOMER_DAILY_LIMIT', limit: 1 },
      });
    });

    it('counts once a companion redeemed earlier today at another till', async () => {
      const [first, second, third] = await cappedBatch({ dailyCap: 2 }, 3);
      const elsewhere = await send(route, [redemption(other, first ?? '')], other);
      expect(elsewhere[0]?.status).toBe('accepted');
      // The other till's use is today's usage; this order's own is counted as its voucher.
      const outcomes = await send(route, [
        redemption(till, second ?? '', { cart, companions: [first, third] as never }),
        redemption(till, third ?? '', { cart, companions: [first, second] as never }),
      ]);
      expect(outcomes[0]?.status).toBe('accepted');
      expect(outcomes[1]).toEqual({
        status: 'rejected',
        reason: { code: 'DAILY_CAP_REACHED', cap: 2 },
      });
    });

    it('holds the cap when a code joins the order after another of it was redeemed', async () => {
      const [first, second] = await cappedBatch({ dailyCap: 1 });
      // The second code is sent with the first as its companion, which the rules would prefer
      // to it (the smaller code): the first is already used, and the cap is taken.
      const outcomes = await send(route, [
        redemption(till, second ?? '', { cart }),
        redemption(till, first ?? '', { cart, companions: [second] as never }),
      ]);
      expect(outcomes[0]?.status).toBe('accepted');
      expect(outcomes[1]).toEqual({
        status: 'rejected',
        reason: { code: 'DAILY_CAP_REACHED', cap: 1 },
      });
    });
  });
});
