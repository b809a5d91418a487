import { describe, expect, it } from 'vitest';
import {
  aBatch,
  aCandidate,
  aCart,
  aCartOf,
  aContext,
  aLine,
  yuanText,
} from '../../test/helpers/core-builders';
import type { Evaluation } from '../reasons';
import { evaluate } from './index';

const reasonOf = (result: Evaluation, code: string) =>
  result.refused.find((r) => r.code === code)?.reason;

describe('evaluate: the seed examples', () => {
  it('takes ¥50 off with a no-threshold cash voucher', () => {
    const cash50 = aCandidate(
      'CASH50',
      aBatch({ benefit: { kind: 'cash', valueFen: yuanText('50') } }),
    );
    const result = evaluate(aCartOf('128.00'), [cash50], aContext());
    expect(result).toEqual({
      applied: [
        {
          code: 'CASH50',
          batchId: 'B-CASH-10',
          kind: 'cash',
          discountFen: 5_000,
          allocations: [{ lineId: 'L1', discountFen: 5_000 }],
        },
      ],
      refused: [],
      subtotalFen: 12_800,
      discountFen: 5_000,
      totalFen: 7_800,
    });
  });

  it('caps a cash voucher at the order amount, never below zero', () => {
    const cash50 = aCandidate(
      'CASH50',
      aBatch({ benefit: { kind: 'cash', valueFen: yuanText('50') } }),
    );
    const result = evaluate(aCartOf('12.34'), [cash50], aContext());
    expect(result.discountFen).toBe(1_234);
    expect(result.totalFen).toBe(0);
  });

  const manjian = aCandidate(
    'MJ300',
    aBatch({
      id: 'B-MJ',
      benefit: { kind: 'threshold', thresholdFen: yuanText('300'), valueFen: yuanText('50') },
    }),
  );

  it('refuses 满300减50 at ¥299.99 with the threshold and the eligible subtotal', () => {
    const result = evaluate(aCartOf('299.99'), [manjian], aContext());
    expect(result.applied).toEqual([]);
    expect(result.refused).toEqual([
      {
        code: 'MJ300',
        reason: { code: 'THRESHOLD_NOT_MET', required: 30_000, eligibleSubtotal: 29_999 },
      },
    ]);
    expect(result.totalFen).toBe(29_999);
  });

  it('applies 满300减50 at exactly ¥300.00', () => {
    const result = evaluate(aCartOf('300.00'), [manjian], aContext());
    expect(result.applied.map((a) => [a.code, a.discountFen])).toEqual([['MJ300', 5_000]]);
    expect(result.totalFen).toBe(25_000);
  });

  it('counts only eligible items towards a threshold', () => {
    const drinksOnly = aCandidate(
      'MJ300',
      aBatch({
        benefit: { kind: 'threshold', thresholdFen: yuanText('300'), valueFen: yuanText('50') },
        items: { skus: [], categories: ['drinks'] },
      }),
    );
    const cart = aCart([
      aLine({ lineId: 'L1', category: 'drinks', unitPriceFen: 20_000 }),
      aLine({ lineId: 'L2', category: 'food', unitPriceFen: 20_000 }),
    ]);
    expect(reasonOf(evaluate(cart, [drinksOnly], aContext()), 'MJ300')).toEqual({
      code: 'THRESHOLD_NOT_MET',
      required: 30_000,
      eligibleSubtotal: 20_000,
    });
  });

  const eightyPercent = aCandidate(
    'ZHE8',
    aBatch({ benefit: { kind: 'discount', percentOffBp: 2_000, capFen: yuanText('30') } }),
  );

  it('caps 8折 at ¥30 on a ¥200 order', () => {
    const result = evaluate(aCartOf('200.00'), [eightyPercent], aContext());
    expect(result.discountFen).toBe(3_000);
  });

  it('takes the full 20% under the cap on a ¥100 order', () => {
    expect(evaluate(aCartOf('100.00'), [eightyPercent], aContext()).discountFen).toBe(2_000);
  });

  it('rounds a percentage half-up to the fen', () => {
    // 20% of ¥0.03 is 0.6 fen → 1 fen.
    expect(evaluate(aCartOf('0.03'), [eightyPercent], aContext()).discountFen).toBe(1);
  });

  const cakeGift = aCandidate(
    'GIFTCAKE',
    aBatch({ benefit: { kind: 'gift', sku: 'SKU-CAKE', quantity: 1 } }),
  );

  it('makes one gift SKU free and allocates it to that line', () => {
    const cart = aCart([
      aLine({ lineId: 'L1', sku: 'SKU-COFFEE', unitPriceFen: 3_000 }),
      aLine({ lineId: 'L2', sku: 'SKU-CAKE', unitPriceFen: 1_800, quantity: 2 }),
    ]);
    const result = evaluate(cart, [cakeGift], aContext());
    expect(result.applied[0]?.allocations).toEqual([{ lineId: 'L2', discountFen: 1_800 }]);
    expect(result.totalFen).toBe(3_000 + 1_800);
  });

  it('refuses a gift voucher when the gift SKU is not in the cart', () => {
    const cart = aCart([aLine({ lineId: 'L1', sku: 'SKU-COFFEE', unitPriceFen: 3_000 })]);
    expect(reasonOf(evaluate(cart, [cakeGift], aContext()), 'GIFTCAKE')).toEqual({
      code: 'GIFT_ITEM_MISSING',
      sku: 'SKU-CAKE',
      quantity: 1,
    });
  });

  const comboDeal = aCandidate(
    'COMBO39',
    aBatch({
      benefit: {
        kind: 'group_buy',
        items: [
          { sku: 'SKU-COFFEE', quantity: 1 },
          { sku: 'SKU-CAKE', quantity: 1 },
        ],
        priceFen: yuanText('39'),
      },
    }),
  );

  it('sells a group-buy bundle at its price, spread over the bundle lines', () => {
    const cart = aCart([
      aLine({ lineId: 'L1', sku: 'SKU-COFFEE', unitPriceFen: 3_000 }),
      aLine({ lineId: 'L2', sku: 'SKU-CAKE', unitPriceFen: 1_800 }),
      aLine({ lineId: 'L3', sku: 'SKU-WATER', unitPriceFen: 300 }),
    ]);
    const result = evaluate(cart, [comboDeal], aContext());
    // ¥48 of items for ¥39: ¥9 off, 30:18 → 562.5 / 337.5; the tie goes to the earlier line.
    expect(result.applied[0]?.allocations).toEqual([
      { lineId: 'L1', discountFen: 563 },
      { lineId: 'L2', discountFen: 337 },
    ]);
    expect(result.totalFen).toBe(3_900 + 300);
  });

  it('refuses an incomplete bundle and says what is missing', () => {
    const cart = aCart([aLine({ lineId: 'L1', sku: 'SKU-COFFEE', unitPriceFen: 3_000 })]);
    expect(reasonOf(evaluate(cart, [comboDeal], aContext()), 'COMBO39')).toEqual({
      code: 'BUNDLE_INCOMPLETE',
      missing: [{ sku: 'SKU-CAKE', quantity: 1 }],
    });
  });

  it('gives nothing for a bundle priced above its items', () => {
    const pricey = aCandidate(
      'COMBO99',
      aBatch({
        benefit: { kind: 'group_buy', items: [{ sku: 'SKU-TEA', quantity: 1 }], priceFen: 9_900 },
      }),
    );
    const result = evaluate(aCartOf('10.00'), [pricey], aContext());
    expect(result.applied).toEqual([]);
    expect(reasonOf(result, 'COMBO99')).toEqual({ code: 'NOTHING_LEFT_TO_DISCOUNT' });
  });

  it('refuses a "not with member discount" voucher when a member discount is applied', () => {
    const noMember = aCandidate('NOMEMBER', aBatch({ withMemberDiscount: false }));
    const memberCart = aCart([aLine({ lineId: 'L1', unitPriceFen: 5_000 })], {
      memberDiscountApplied: true,
    });
    expect(reasonOf(evaluate(memberCart, [noMember], aContext()), 'NOMEMBER')).toEqual({
      code: 'NOT_WITH_MEMBER_DISCOUNT',
    });
    const plainCart = aCart([aLine({ lineId: 'L1', unitPriceFen: 5_000 })]);
    expect(evaluate(plainCart, [noMember], aContext()).discountFen).toBe(1_000);
  });

  describe('store-group restriction across two regions', () => {
    const eastOnly = aCandidate(
      'EAST10',
      aBatch({ stores: { type: 'listed', storeIds: [], groupIds: ['EAST'] } }),
    );

    it('applies in a store of the listed region', () => {
      const east = aContext({ storeId: 'SH-01', storeGroupIds: ['EAST'] });
      expect(evaluate(aCartOf('50'), [eastOnly], east).discountFen).toBe(1_000);
    });

    it('refuses in a store of another region, naming the allowed region', () => {
      const west = aContext({ storeId: 'CD-07', storeGroupIds: ['WEST'] });
      expect(reasonOf(evaluate(aCartOf('50'), [eastOnly], west), 'EAST10')).toEqual({
        code: 'WRONG_STORE',
        storeId: 'CD-07',
        allowedStores: [],
        allowedGroups: ['EAST'],
      });
    });

    it('applies in a store listed by id even outside the listed groups', () => {
      const listed = aCandidate(
        'MIX10',
        aBatch({ stores: { type: 'listed', storeIds: ['CD-07'], groupIds: ['EAST'] } }),
      );
      const west = aContext({ storeId: 'CD-07', storeGroupIds: ['WEST'] });
      expect(evaluate(aCartOf('50'), [listed], west).discountFen).toBe(1_000);
    });
  });
});

describe('evaluate: stacking picks the customer’s best combination', () => {
  it('prefers two stackable vouchers over one larger exclusive voucher', () => {
    const exclusive60 = aCandidate(
      'A-EXCL60',
      aBatch({ id: 'B-EX', stacking: 'exclusive', benefit: { kind: 'cash', valueFen: 6_000 } }),
    );
    const mj = aCandidate(
      'B-MJ',
      aBatch({ id: 'B-MJ', benefit: { kind: 'threshold', thresholdFen: 30_000, valueFen: 5_000 } }),
    );
    const tenOff = aCandidate(
      'C-ZHE9',
      aBatch({ id: 'B-ZHE', benefit: { kind: 'discount', percentOffBp: 1_000 } }),
    );
    const result = evaluate(aCartOf('400'), [tenOff, exclusive60, mj], aContext());
    // 10% of ¥400 = ¥40 first, then ¥50 off the rest: ¥90 beats ¥60.
    expect(result.applied.map((a) => [a.code, a.discountFen])).toEqual([
      ['B-MJ', 5_000],
      ['C-ZHE9', 4_000],
    ]);
    expect(result.refused).toEqual([
      { code: 'A-EXCL60', reason: { code: 'NOT_STACKABLE', with: 'B-MJ' } },
    ]);
  });

  it('picks the exclusive voucher when it beats everything else together', () => {
    const exclusive = aCandidate(
      'A-EXCL',
      aBatch({ id: 'B-EX', stacking: 'exclusive', benefit: { kind: 'cash', valueFen: 20_000 } }),
    );
    const small = aCandidate(
      'B-SMALL',
      aBatch({ id: 'B-S', benefit: { kind: 'cash', valueFen: 1_000 } }),
    );
    const result = evaluate(aCartOf('400'), [small, exclusive], aContext());
    expect(result.applied.map((a) => a.code)).toEqual(['A-EXCL']);
    expect(result.refused).toEqual([
      { code: 'B-SMALL', reason: { code: 'NOT_STACKABLE', with: 'A-EXCL' } },
    ]);
  });

  it('keeps the larger of two same-kind vouchers that stack only with other kinds', () => {
    const c20 = aCandidate(
      'CASH20',
      aBatch({ id: 'B20', stacking: 'other_kinds', benefit: { kind: 'cash', valueFen: 2_000 } }),
    );
    const c30 = aCandidate(
      'CASH30',
      aBatch({ id: 'B30', stacking: 'any', benefit: { kind: 'cash', valueFen: 3_000 } }),
    );
    const result = evaluate(aCartOf('100'), [c20, c30], aContext());
    expect(result.applied.map((a) => a.code)).toEqual(['CASH30']);
    expect(result.refused).toEqual([
      { code: 'CASH20', reason: { code: 'NOT_STACKABLE', with: 'CASH30' } },
    ]);
  });

  it('breaks a tie by using fewer vouchers, keeping the others for another day', () => {
    const whole = aCandidate(
      'WHOLE',
      aBatch({ id: 'BW', benefit: { kind: 'cash', valueFen: 5_000 } }),
    );
    const half = aCandidate(
      'HALF',
      aBatch({ id: 'BH', benefit: { kind: 'general', valueFen: 2_500 } }),
    );
    const result = evaluate(aCartOf('50'), [whole, half], aContext());
    expect(result.applied.map((a) => a.code)).toEqual(['WHOLE']);
    expect(result.refused).toEqual([
      { code: 'HALF', reason: { code: 'NOTHING_LEFT_TO_DISCOUNT' } },
    ]);
  });

  it('breaks a tie between equal vouchers by the smaller code', () => {
    const batch = aBatch({ stacking: 'exclusive' });
    const result = evaluate(
      aCartOf('50'),
      [aCandidate('ZZZ9', batch), aCandidate('AAA1', batch)],
      aContext(),
    );
    expect(result.applied.map((a) => a.code)).toEqual(['AAA1']);
  });

  it('beyond twelve candidates, adds them greedily by value while the total still grows', () => {
    const tens = Array.from({ length: 13 }, (_, i) =>
      aCandidate(
        `TEN-${String(i).padStart(2, '0')}`,
        aBatch({ id: `B-TEN-${i}`, benefit: { kind: 'cash', valueFen: 1_000 } }),
      ),
    );
    const twenty = aCandidate(
      'TWENTY',
      aBatch({ id: 'B-TWENTY', benefit: { kind: 'cash', valueFen: 2_000 } }),
    );
    const result = evaluate(aCartOf('100'), [...tens, twenty], aContext());
    // ¥20 first, then ¥10 vouchers by code until the ¥100 order is covered.
    expect(result.applied.map((a) => a.code)).toEqual([
      ...tens.slice(0, 8).map((c) => c.code),
      'TWENTY',
    ]);
    expect(result.discountFen).toBe(10_000);
    expect(result.refused.map((r) => r.reason.code)).toEqual(
      Array(5).fill('NOTHING_LEFT_TO_DISCOUNT'),
    );
  });

  it('uses at most perOrderLimit codes of one batch', () => {
    const batch = aBatch({ id: 'B-LIM', perOrderLimit: 2 });
    const codes = ['C001', 'C002', 'C003'].map((c) => aCandidate(c, batch));
    const result = evaluate(aCartOf('100'), codes, aContext());
    expect(result.applied.map((a) => a.code)).toEqual(['C001', 'C002']);
    expect(result.refused).toEqual([
      { code: 'C003', reason: { code: 'PER_ORDER_LIMIT', limit: 2 } },
    ]);
  });

  it('does not let one order overrun what is left of the daily cap', () => {
    const batch = aBatch({ id: 'B-CAP', perOrderLimit: 5, dailyCap: 10 });
    const codes = ['C001', 'C002'].map((c) => aCandidate(c, batch));
    const context = aContext({ usageToday: { 'B-CAP': { batch: 9, customer: 0 } } });
    const result = evaluate(aCartOf('100'), codes, context);
    expect(result.applied.map((a) => a.code)).toEqual(['C001']);
    expect(result.refused).toEqual([
      { code: 'C002', reason: { code: 'DAILY_CAP_REACHED', cap: 10 } },
    ]);
  });

  it('applies a gift before a percentage, so the percentage does not discount the free item', () => {
    const gift = aCandidate(
      'GIFT',
      aBatch({ id: 'BG', benefit: { kind: 'gift', sku: 'SKU-CAKE', quantity: 1 } }),
    );
    const half = aCandidate(
      'HALF',
      aBatch({ id: 'BD', benefit: { kind: 'discount', percentOffBp: 5_000 } }),
    );
    const cart = aCart([
      aLine({ lineId: 'L1', sku: 'SKU-CAKE', unitPriceFen: 2_000 }),
      aLine({ lineId: 'L2', sku: 'SKU-TEA', unitPriceFen: 1_000 }),
    ]);
    const result = evaluate(cart, [half, gift], aContext());
    expect(result.applied).toEqual([
      {
        code: 'GIFT',
        batchId: 'BG',
        kind: 'gift',
        discountFen: 2_000,
        allocations: [{ lineId: 'L1', discountFen: 2_000 }],
      },
      {
        code: 'HALF',
        batchId: 'BD',
        kind: 'discount',
        discountFen: 500,
        allocations: [{ lineId: 'L2', discountFen: 500 }],
      },
    ]);
  });
});

describe('evaluate: per-candidate rules', () => {
  const cart = aCartOf('100');

  it('refuses the extra copies of a code scanned twice', () => {
    const result = evaluate(cart, [aCandidate('SAME'), aCandidate('SAME')], aContext());
    expect(result.applied.map((a) => a.code)).toEqual(['SAME']);
    expect(result.refused).toEqual([{ code: 'SAME', reason: { code: 'DUPLICATE_IN_ORDER' } }]);
  });

  it.each([
    ['paused', { code: 'BATCH_PAUSED', batchId: 'B-CASH-10' }],
    ['revoked', { code: 'BATCH_REVOKED', batchId: 'B-CASH-10' }],
  ] as const)('refuses a %s batch', (state, reason) => {
    expect(evaluate(cart, [aCandidate('X001', aBatch({ state }))], aContext()).refused).toEqual([
      { code: 'X001', reason },
    ]);
  });

  it('refuses an expired batch with the instant it ended when that is known', () => {
    const batch = aBatch({
      state: 'expired',
      validity: { type: 'fixed', from: '2026-01-01T00:00:00Z', until: '2026-03-01T00:00:00Z' },
    });
    expect(evaluate(cart, [aCandidate('X001', batch)], aContext()).refused[0]?.reason).toEqual({
      code: 'EXPIRED',
      at: '2026-03-01T00:00:00.000Z',
    });
  });

  it('names where and when a code was already redeemed', () => {
    const used = aCandidate('USED', aBatch(), {
      redeemed: { at: '2026-06-14T09:30:00Z', storeId: 'S2' },
    });
    expect(evaluate(cart, [used], aContext()).refused[0]?.reason).toEqual({
      code: 'ALREADY_REDEEMED',
      at: '2026-06-14T09:30:00Z',
      storeId: 'S2',
    });
  });

  it('refuses before and after a fixed validity, ending exclusive', () => {
    const validity = {
      type: 'fixed',
      from: '2026-06-15T00:00:00Z',
      until: '2026-06-16T00:00:00Z',
    } as const;
    const c = aCandidate('FIXED', aBatch({ validity }));
    expect(
      evaluate(cart, [c], aContext({ now: '2026-06-14T23:59:59.999Z' })).refused[0]?.reason,
    ).toEqual({
      code: 'NOT_YET_VALID',
      from: '2026-06-15T00:00:00Z',
    });
    expect(evaluate(cart, [c], aContext({ now: '2026-06-15T00:00:00Z' })).applied).toHaveLength(1);
    expect(
      evaluate(cart, [c], aContext({ now: '2026-06-16T00:00:00Z' })).refused[0]?.reason,
    ).toEqual({
      code: 'EXPIRED',
      at: '2026-06-16T00:00:00Z',
    });
  });

  describe('valid N days after claim (store time)', () => {
    const threeDays = aBatch({ validity: { type: 'after_claim', days: 3 } });
    // Claimed 2026-06-15 23:30 Shanghai: days 15, 16, 17; ends at 2026-06-18 00:00 Shanghai.
    const claimed = aCandidate('CLAIM3', threeDays, { claimedAt: '2026-06-15T15:30:00Z' });

    it('is valid on the last local day', () => {
      expect(
        evaluate(cart, [claimed], aContext({ now: '2026-06-17T15:59:59Z' })).applied,
      ).toHaveLength(1);
    });

    it('expires at the local midnight that ends day N', () => {
      expect(
        evaluate(cart, [claimed], aContext({ now: '2026-06-17T16:00:00Z' })).refused[0]?.reason,
      ).toEqual({
        code: 'EXPIRED',
        at: '2026-06-17T16:00:00.000Z',
      });
    });

    it('refuses a code whose claim date is unknown', () => {
      const unknown = aCandidate('CLAIM-NONE', threeDays);
      expect(evaluate(cart, [unknown], aContext()).refused[0]?.reason).toEqual({
        code: 'CLAIM_DATE_UNKNOWN',
      });
    });
  });

  it('checks weekday and hour windows in store time', () => {
    const lunch = { weekdays: [1, 2, 3, 4, 5], startMinute: 11 * 60, endMinute: 14 * 60 };
    const c = aCandidate('LUNCH', aBatch({ windows: [lunch] }));
    // 2026-06-15 is a Monday; 04:00Z is 12:00 in Shanghai, 05:00 in London.
    expect(evaluate(cart, [c], aContext()).applied).toHaveLength(1);
    expect(evaluate(cart, [c], aContext({ timeZone: 'Europe/London' })).refused[0]?.reason).toEqual(
      {
        code: 'OUTSIDE_HOURS',
        windows: [lunch],
      },
    );
    // Saturday 2026-06-20 at noon in Shanghai.
    expect(
      evaluate(cart, [c], aContext({ now: '2026-06-20T04:00:00Z' })).refused[0]?.reason.code,
    ).toBe('OUTSIDE_HOURS');
  });

  it('requires one of the listed member tiers', () => {
    const gold = aCandidate('GOLD', aBatch({ memberTiers: ['gold'] }));
    const silverCart = aCart([aLine({ lineId: 'L1' })], { memberTier: 'silver' });
    expect(evaluate(silverCart, [gold], aContext()).refused[0]?.reason).toEqual({
      code: 'TIER_REQUIRED',
      tiers: ['gold'],
      memberTier: 'silver',
    });
    const goldCart = aCart([aLine({ lineId: 'L1' })], { memberTier: 'gold' });
    expect(evaluate(goldCart, [gold], aContext()).applied).toHaveLength(1);
  });

  it('refuses when the chain-wide daily cap or the customer’s daily limit is reached', () => {
    const capped = aCandidate(
      'CAPPED',
      aBatch({ id: 'B-CAP', dailyCap: 100, perCustomerDailyLimit: 1 }),
    );
    const full = aContext({ usageToday: { 'B-CAP': { batch: 100, customer: 0 } } });
    expect(evaluate(cart, [capped], full).refused[0]?.reason).toEqual({
      code: 'DAILY_CAP_REACHED',
      cap: 100,
    });
    const usedByCustomer = aContext({ usageToday: { 'B-CAP': { batch: 3, customer: 1 } } });
    expect(evaluate(cart, [capped], usedByCustomer).refused[0]?.reason).toEqual({
      code: 'CUSTOMER_DAILY_LIMIT',
      limit: 1,
    });
  });

  it('refuses a voucher with no eligible item in the cart', () => {
    const foodOnly = aCandidate('FOOD', aBatch({ items: { skus: [], categories: ['food'] } }));
    expect(evaluate(cart, [foodOnly], aContext()).refused[0]?.reason).toEqual({
      code: 'NO_ELIGIBLE_ITEMS',
    });
  });

  it('applies a minimum spend to every kind', () => {
    const minSpend = aCandidate('MINSPEND', aBatch({ minSpendFen: 20_000 }));
    expect(evaluate(cart, [minSpend], aContext()).refused[0]?.reason).toEqual({
      code: 'THRESHOLD_NOT_MET',
      required: 20_000,
      eligibleSubtotal: 10_000,
    });
  });

  it('reports the first failing rule in the documented order', () => {
    // Paused, expired, wrong store and below threshold at once: the state wins.
    const bad = aCandidate(
      'BAD1',
      aBatch({
        state: 'paused',
        validity: { type: 'fixed', from: '2020-01-01T00:00:00Z', until: '2020-02-01T00:00:00Z' },
        stores: { type: 'listed', storeIds: ['NOWHERE'], groupIds: [] },
        minSpendFen: 1_000_000,
      }),
    );
    expect(evaluate(cart, [bad], aContext()).refused[0]?.reason.code).toBe('BATCH_PAUSED');
  });

  it('spreads a discount over several lines so the parts sum to the discount', () => {
    const threeLines = aCart([
      aLine({ lineId: 'L1', unitPriceFen: 333 }),
      aLine({ lineId: 'L2', unitPriceFen: 333 }),
      aLine({ lineId: 'L3', unitPriceFen: 334 }),
    ]);
    const result = evaluate(
      threeLines,
      [aCandidate('CASH', aBatch({ benefit: { kind: 'cash', valueFen: 100 } }))],
      aContext(),
    );
    expect(result.applied[0]?.allocations).toEqual([
      { lineId: 'L1', discountFen: 33 },
      { lineId: 'L2', discountFen: 33 },
      { lineId: 'L3', discountFen: 34 },
    ]);
  });

  it('evaluates an empty cart without applying anything', () => {
    const result = evaluate(aCart([]), [aCandidate('CASH')], aContext());
    expect(result).toEqual({
      applied: [],
      refused: [{ code: 'CASH', reason: { code: 'NO_ELIGIBLE_ITEMS' } }],
      subtotalFen: 0,
      discountFen: 0,
      totalFen: 0,
    });
  });
});
