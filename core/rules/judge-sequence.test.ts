import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aBatch,
  aCandidate,
  aCart,
  aContext,
  aLine,
  arbCandidates,
  arbCart,
  arbContext,
} from '../../test/helpers/core-builders';
import type { Candidate, Cart, EvaluationContext } from '../vouchers';
import { judgeVoucher, type Judgement } from './index';

/**
 * An order's vouchers are redeemed one request at a time, each judged with the others as its
 * companions, as the server and the till's offline rules both do. The caller's side of the
 * contract is modelled here as they implement it: today's usage leaves out the uses of companions
 * already redeemed for this order, which go in `orderUsesToday` instead.
 */

const RUNS = { numRuns: 300 };
type Usage = EvaluationContext['usageToday'];

/** Redeems `sequence` in turn; `companionsOf` says which of the order's codes each one is sent with. */
function redeemInTurn(
  cart: Cart,
  order: readonly Candidate[],
  context: EvaluationContext,
  sequence: readonly string[],
  companionsOf: (code: string, position: number) => readonly Candidate[],
): { accepted: string[]; verdicts: Map<string, Judgement> } {
  const accepted: string[] = [];
  const verdicts = new Map<string, Judgement>();
  sequence.forEach((code, position) => {
    const target = order.find((c) => c.code === code);
    if (target === undefined) throw new Error(`no ${code} in the order`);
    const companions = companionsOf(code, position);
    const orderUsesToday: Usage = {};
    for (const used of accepted) {
      if (!companions.some((c) => c.code === used)) continue;
      const batchId = order.find((c) => c.code === used)?.batch.id ?? '';
      const n = orderUsesToday[batchId] ?? { batch: 0, customer: 0 };
      orderUsesToday[batchId] = { batch: n.batch + 1, customer: n.customer + 1 };
    }
    const verdict = judgeVoucher({
      target,
      companions,
      cart,
      context,
      priceOf: () => null,
      orderUsesToday,
    });
    verdicts.set(code, verdict);
    if (verdict.ok) accepted.push(code);
  });
  return { accepted, verdicts };
}

const capped = (cap: { dailyCap?: number | null; perCustomerDailyLimit?: number | null }) =>
  aBatch({ id: 'B-CAP', perOrderLimit: 4, dailyCap: null, ...cap });

describe('redeeming an order of two codes of a capped batch, one request each', () => {
  const cart = aCart([aLine({ unitPriceFen: 10_000 })], { customerId: 'member-7' });
  const atPay = (order: readonly Candidate[]) => (code: string) =>
    order.filter((c) => c.code !== code);
  const run = (batch: ReturnType<typeof aBatch>, sequence: string[]) => {
    const order = [aCandidate('CAP-A1', batch), aCandidate('CAP-A2', batch)];
    return redeemInTurn(cart, order, aContext(), sequence, atPay(order));
  };

  it('accepts both under a daily cap of 2, in either order', () => {
    expect(run(capped({ dailyCap: 2 }), ['CAP-A1', 'CAP-A2']).accepted).toEqual([
      'CAP-A1',
      'CAP-A2',
    ]);
    expect(run(capped({ dailyCap: 2 }), ['CAP-A2', 'CAP-A1']).accepted).toEqual([
      'CAP-A2',
      'CAP-A1',
    ]);
  });

  it('accepts exactly one under a daily cap of 1, the other refused with the cap', () => {
    for (const sequence of [
      ['CAP-A1', 'CAP-A2'],
      ['CAP-A2', 'CAP-A1'],
    ]) {
      const { accepted, verdicts } = run(capped({ dailyCap: 1 }), sequence);
      expect(accepted).toHaveLength(1);
      const refused = sequence.find((c) => !accepted.includes(c)) ?? '';
      expect(verdicts.get(refused)).toEqual({
        ok: false,
        reason: { code: 'DAILY_CAP_REACHED', cap: 1 },
      });
    }
  });

  it('accepts exactly one under a per-customer daily limit of 1', () => {
    const { accepted, verdicts } = run(capped({ perCustomerDailyLimit: 1 }), ['CAP-A1', 'CAP-A2']);
    expect(accepted).toEqual(['CAP-A1']);
    expect(verdicts.get('CAP-A2')).toEqual({
      ok: false,
      reason: { code: 'CUSTOMER_DAILY_LIMIT', limit: 1 },
    });
  });

  it('refuses a code added to the order after the cap was taken by one already redeemed', () => {
    // A2 alone first, then A1 with A2: the evaluation prefers A1 (the smaller code) to A2, which
    // is already used; the cap still holds.
    const batch = capped({ dailyCap: 1 });
    const order = [aCandidate('CAP-A1', batch), aCandidate('CAP-A2', batch)];
    const { accepted, verdicts } = redeemInTurn(
      cart,
      order,
      aContext(),
      ['CAP-A2', 'CAP-A1'],
      (code, position) => (position === 0 ? [] : order.filter((c) => c.code !== code)),
    );
    expect(accepted).toEqual(['CAP-A2']);
    expect(verdicts.get('CAP-A1')).toMatchObject({
      ok: false,
      reason: { code: 'DAILY_CAP_REACHED' },
    });
  });
});

/** An order with several codes of one capped batch among generated vouchers, all codes distinct. */
const arbOrder = fc
  .record({
    cart: arbCart,
    context: arbContext,
    others: arbCandidates,
    copies: fc.integer({ min: 2, max: 4 }),
    dailyCap: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    perCustomerDailyLimit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    usedElsewhere: fc.record({
      batch: fc.integer({ min: 0, max: 3 }),
      customer: fc.integer({ min: 0, max: 2 }),
    }),
    seed: fc.integer(),
  })
  .map((g) => {
    const batch = capped({ dailyCap: g.dailyCap, perCustomerDailyLimit: g.perCustomerDailyLimit });
    const mine = Array.from({ length: g.copies }, (_, i) => aCandidate(`CAP-${i}`, batch));
    // The default instant and store, so the capped batch is refused for no other reason.
    const context = aContext({
      timeZone: g.context.timeZone,
      usageToday: { ...g.context.usageToday, 'B-CAP': g.usedElsewhere },
    });
    return { ...g, context, order: [...mine, ...g.others] };
  })
  .filter((g) => new Set(g.order.map((c) => c.code)).size === g.order.length);

/** A permutation from a seed (Fisher–Yates with a small LCG), so the shuffle is reproducible. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const cappedUses = (accepted: readonly string[]) =>
  accepted.filter((c) => c.startsWith('CAP-')).length;

describe('redeeming an order one code at a time', () => {
  it('accepts the same codes whatever the order they are sent in, within the daily limits', () => {
    fc.assert(
      fc.property(arbOrder, ({ cart, context, order, seed, dailyCap, perCustomerDailyLimit }) => {
        const codes = order.map((c) => c.code);
        const atPay = (code: string) => order.filter((c) => c.code !== code);
        const sorted = redeemInTurn(cart, order, context, [...codes].sort(), atPay).accepted;
        const mixed = redeemInTurn(cart, order, context, shuffled(codes, seed), atPay).accepted;
        expect([...mixed].sort()).toEqual([...sorted].sort());
        const used = context.usageToday['B-CAP'] ?? { batch: 0, customer: 0 };
        if (dailyCap !== null)
          expect(used.batch + cappedUses(mixed)).toBeLessThanOrEqual(
            Math.max(dailyCap, used.batch),
          );
        if (perCustomerDailyLimit !== null)
          expect(used.customer + cappedUses(mixed)).toBeLessThanOrEqual(
            Math.max(perCustomerDailyLimit, used.customer),
          );
      }),
      RUNS,
    );
  });

  it('never passes a daily limit when codes join the order after others were redeemed', () => {
    fc.assert(
      fc.property(arbOrder, ({ cart, context, order, seed, dailyCap, perCustomerDailyLimit }) => {
        const sequence = shuffled(
          order.map((c) => c.code),
          seed,
        );
        // Scan by scan: each code is sent with those scanned before it.
        const scannedBefore = (_: string, position: number) =>
          sequence.slice(0, position).flatMap((c) => order.filter((o) => o.code === c));
        const { accepted } = redeemInTurn(cart, order, context, sequence, scannedBefore);
        const used = context.usageToday['B-CAP'] ?? { batch: 0, customer: 0 };
        if (dailyCap !== null)
          expect(used.batch + cappedUses(accepted)).toBeLessThanOrEqual(
            Math.max(dailyCap, used.batch),
          );
        if (perCustomerDailyLimit !== null)
          expect(used.customer + cappedUses(accepted)).toBeLessThanOrEqual(
            Math.max(perCustomerDailyLimit, used.customer),
          );
      }),
      RUNS,
    );
  });
});
