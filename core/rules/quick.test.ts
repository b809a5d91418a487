import { describe, expect, it } from 'vitest';
import { aBatch, aCandidate, aContext, sku } from '../../test/helpers/core-builders';
import type { z } from 'zod';
import type { Fen } from '../money';
import type { Benefit } from '../vouchers';
import { evaluateQuick } from './index';

type BenefitInput = z.input<typeof Benefit>;

const prices: Record<string, number> = { 'SKU-CAKE': 1_800, 'SKU-COFFEE': 3_000 };
const priceOf = (s: string): Fen | null => (prices[s] ?? null) as Fen | null;

describe('evaluateQuick (service desk, no cart)', () => {
  it.each<[string, BenefitInput, number]>([
    ['cash', { kind: 'cash', valueFen: 5_000 }, 5_000],
    ['threshold', { kind: 'threshold', thresholdFen: 30_000, valueFen: 5_000 }, 5_000],
    ['general', { kind: 'general', valueFen: 1_200 }, 1_200],
    ['gift', { kind: 'gift', sku: 'SKU-CAKE', quantity: 2 }, 3_600],
    [
      'group_buy',
      {
        kind: 'group_buy',
        items: [
          { sku: 'SKU-CAKE', quantity: 1 },
          { sku: 'SKU-COFFEE', quantity: 1 },
        ],
        priceFen: 3_900,
      },
      900,
    ],
  ])('values a %s voucher', (_, benefit, expected) => {
    const result = evaluateQuick(aCandidate('DESK1', aBatch({ benefit })), aContext(), priceOf);
    expect(result).toEqual({ ok: true, discountFen: expected });
  });

  it('refuses a discount voucher, which needs a cart to know its base', () => {
    const pct = aCandidate('DESK2', aBatch({ benefit: { kind: 'discount', percentOffBp: 2_000 } }));
    expect(evaluateQuick(pct, aContext(), priceOf)).toEqual({
      ok: false,
      reason: { code: 'NO_ELIGIBLE_ITEMS' },
    });
  });

  it('refuses a gift whose SKU the catalog does not know', () => {
    const gift = aCandidate(
      'DESK3',
      aBatch({ benefit: { kind: 'gift', sku: sku('SKU-GONE'), quantity: 1 } }),
    );
    expect(evaluateQuick(gift, aContext(), priceOf)).toEqual({
      ok: false,
      reason: { code: 'NOT_IN_CATALOG' },
    });
  });

  it('refuses a bundle worth less than its price instead of using it up for nothing', () => {
    const bundle = aCandidate(
      'DESK4',
      aBatch({
        benefit: { kind: 'group_buy', items: [{ sku: 'SKU-CAKE', quantity: 1 }], priceFen: 9_900 },
      }),
    );
    expect(evaluateQuick(bundle, aContext(), priceOf)).toEqual({
      ok: false,
      reason: { code: 'NOTHING_LEFT_TO_DISCOUNT' },
    });
  });

  it('runs the same cart-free rules as evaluate, in the same order', () => {
    const wrongStore = aCandidate(
      'DESK5',
      aBatch({ stores: { type: 'listed', storeIds: ['S9'], groupIds: [] } }),
    );
    expect(evaluateQuick(wrongStore, aContext(), priceOf)).toEqual({
      ok: false,
      reason: { code: 'WRONG_STORE', storeId: 'S1', allowedStores: ['S9'], allowedGroups: [] },
    });
    const used = aCandidate('DESK6', aBatch({ state: 'revoked' }), {
      redeemed: { at: '2026-06-01T00:00:00Z', storeId: 'S2' },
    });
    expect(evaluateQuick(used, aContext(), priceOf)).toEqual({
      ok: false,
      reason: { code: 'BATCH_REVOKED', batchId: 'B-CASH-10' },
    });
  });

  it('ignores rules that need a cart: tiers, member discounts and minimum spend', () => {
    const gold = aCandidate(
      'DESK7',
      aBatch({ memberTiers: ['gold'], withMemberDiscount: false, minSpendFen: 99_900 }),
    );
    expect(evaluateQuick(gold, aContext(), priceOf)).toEqual({ ok: true, discountFen: 1_000 });
  });
});
