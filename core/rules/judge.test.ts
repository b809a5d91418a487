import { describe, expect, it } from 'vitest';
import {
  aBatch,
  aCandidate,
  aCart,
  aContext,
  aLine,
  category,
  sku,
} from '../../test/helpers/core-builders';
import type { Fen } from '../money';
import { cartAtCatalogPrices, judgeVoucher, pricedSkus, skusToPrice } from './index';

const catalog = new Map([
  ['SKU-TEA', { priceFen: 1_000 as Fen, category: category('drinks') }],
  ['SKU-CAKE', { priceFen: 1_800 as Fen, category: category('food') }],
]);
const itemOf = (s: string) => catalog.get(s) ?? null;

describe('cartAtCatalogPrices', () => {
  it('refuses the first line priced differently from the catalog, naming both figures', () => {
    const cart = aCart([aLine({ sku: 'SKU-TEA' }), aLine({ sku: 'SKU-CAKE', unitPriceFen: 9e12 })]);
    expect(cartAtCatalogPrices(cart, itemOf)).toEqual({
      ok: false,
      reason: { code: 'PRICE_MISMATCH', sku: 'SKU-CAKE', tillFen: 9e12, catalogFen: 1_800 },
    });
  });

  it('refuses a SKU the catalog does not have', () => {
    const cart = aCart([aLine({ sku: 'SKU-CAVIAR', unitPriceFen: 100 })]);
    expect(cartAtCatalogPrices(cart, itemOf)).toMatchObject({
      ok: false,
      reason: { code: 'PRICE_MISMATCH', catalogFen: null },
    });
  });

  it('takes every category from the catalog', () => {
    const cart = aCart([aLine({ sku: 'SKU-CAKE', category: 'drinks', unitPriceFen: 1_800 })]);
    const priced = cartAtCatalogPrices(cart, itemOf);
    expect(priced.ok && priced.cart.lines[0]?.category).toBe('food');
  });
});

describe('judgeVoucher', () => {
  it('values a cart-less gift at the catalog price of its SKU', () => {
    const gift = aCandidate(
      'CODE-GIFT-1',
      aBatch({ benefit: { kind: 'gift', sku: 'SKU-CAKE', quantity: 2 } }),
    );
    expect(
      judgeVoucher({
        target: gift,
        companions: [],
        cart: null,
        context: aContext(),
        priceOf: (s) => itemOf(s)?.priceFen ?? null,
      }),
    ).toEqual({ ok: true, discountFen: 3_600 });
  });

  it('judges the target together with its companions (stacking)', () => {
    const exclusive = aBatch({ id: 'B-EXCL', stacking: 'exclusive' });
    const other = aBatch({ id: 'B-OTHER', benefit: { kind: 'cash', valueFen: 500 } });
    const cart = aCart([aLine({ unitPriceFen: 5_000 })]);
    const input = {
      target: aCandidate('CODE-TARGET-1', other),
      cart,
      context: aContext(),
      priceOf: () => null,
    };
    expect(judgeVoucher({ ...input, companions: [] })).toEqual({ ok: true, discountFen: 500 });
    expect(
      judgeVoucher({ ...input, companions: [aCandidate('CODE-EXCL-1', exclusive)] }),
    ).toMatchObject({
      ok: false,
      reason: { code: 'NOT_STACKABLE' },
    });
  });
});

describe('pricedSkus', () => {
  it('names the gifted SKU and the bundle items, and nothing for amount kinds', () => {
    expect(pricedSkus({ kind: 'gift', sku: sku('SKU-CAKE'), quantity: 1 })).toEqual(['SKU-CAKE']);
    expect(
      pricedSkus({
        kind: 'group_buy',
        items: [
          { sku: sku('SKU-TEA'), quantity: 1 },
          { sku: sku('SKU-CAKE'), quantity: 1 },
        ],
        priceFen: 2_000 as Fen,
      }),
    ).toEqual(['SKU-TEA', 'SKU-CAKE']);
    expect(pricedSkus({ kind: 'cash', valueFen: 100 as Fen })).toEqual([]);
  });

  it('is what a cart-less order needs priced; a cart needs its own lines', () => {
    const gift = aCandidate(
      'CODE-GIFT-1',
      aBatch({ benefit: { kind: 'gift', sku: 'SKU-CAKE', quantity: 1 } }),
    );
    expect(skusToPrice(null, [gift])).toEqual(['SKU-CAKE']);
    expect(skusToPrice(aCart([aLine({ sku: 'SKU-TEA' })]), [gift])).toEqual(['SKU-TEA']);
  });
});
