import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fen } from '../money';
import { lineRefundAmount, netLineAmounts, refundedQuantities, unitsRefund } from './refund-lines';

const line = (lineId: string, unitPriceFen: number, quantity: number, refundedQuantity = 0) => ({
  lineId,
  unitPriceFen: fen(unitPriceFen),
  quantity,
  refundedQuantity,
});

describe('netLineAmounts', () => {
  it('shares a voucher across the lines in proportion to their amounts', () => {
    // 3000 and 1000 of a 4000 order; a 400 voucher: 300 and 100.
    expect(netLineAmounts([line('a', 1500, 2), line('b', 1000, 1)], fen(400))).toEqual([2700, 900]);
  });

  it('rounds in whole fen so the parts add up to the discount exactly', () => {
    // 100 fen over three equal lines: 34 + 33 + 33 (the remainder to the first).
    expect(
      netLineAmounts([line('a', 1000, 1), line('b', 1000, 1), line('c', 1000, 1)], fen(100)),
    ).toEqual([966, 967, 967]);
  });

  it('never discounts more than the order', () => {
    expect(netLineAmounts([line('a', 500, 1)], fen(900))).toEqual([0]);
  });

  it('adds up to subtotal − discount for any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 20 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (ls, discount) => {
          const lines = ls.map(([p, q], i) => line(`l${i}`, p, q));
          const subtotal = lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
          const net = netLineAmounts(lines, fen(discount));
          expect(net.reduce((s, n) => s + n, 0)).toBe(Math.max(0, subtotal - discount));
          net.forEach((n, i) =>
            expect(n).toBeLessThanOrEqual(
              (lines[i]?.unitPriceFen ?? 0) * (lines[i]?.quantity ?? 0),
            ),
          );
        },
      ),
    );
  });
});

describe('unitsRefund', () => {
  it('gives back a line exactly, whatever the pieces', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
        (net, pieces) => {
          const quantity = pieces.reduce((s, p) => s + p, 0);
          let before = 0;
          let total = 0;
          for (const p of pieces) {
            total += unitsRefund(fen(net), quantity, before, p);
            before += p;
          }
          expect(total).toBe(net);
        },
      ),
    );
  });
});

describe('lineRefundAmount', () => {
  const sold = [line('a', 1500, 2), line('b', 1000, 1)];

  it('refunds one unit of a discounted line at its share of the net', () => {
    expect(lineRefundAmount(sold, fen(400), [{ lineId: 'a', quantity: 1 }])).toEqual({
      ok: true,
      amountFen: 1350,
    });
  });

  it('refunds the whole sale at what was paid', () => {
    expect(
      lineRefundAmount(sold, fen(400), [
        { lineId: 'a', quantity: 2 },
        { lineId: 'b', quantity: 1 },
      ]),
    ).toEqual({ ok: true, amountFen: 3600 });
  });

  it('refuses more units than the line has left, counting a line named twice once', () => {
    const once = [line('a', 1500, 2, 1), line('b', 1000, 1)];
    expect(
      lineRefundAmount(once, fen(0), [
        { lineId: 'a', quantity: 1 },
        { lineId: 'a', quantity: 1 },
      ]),
    ).toEqual({
      ok: false,
      problem: { code: 'QUANTITY_EXCEEDS_REFUNDABLE', lineId: 'a', asked: 2, refundable: 1 },
    });
  });

  it('refuses a line the sale does not have', () => {
    expect(lineRefundAmount(sold, fen(0), [{ lineId: 'z', quantity: 1 }])).toEqual({
      ok: false,
      problem: { code: 'NO_SUCH_LINE', lineId: 'z' },
    });
  });

  it('counts the units earlier refunds named', () => {
    expect([
      ...refundedQuantities([
        [{ lineId: 'a', quantity: 1 }],
        [
          { lineId: 'a', quantity: 1 },
          { lineId: 'b', quantity: 1 },
        ],
      ]),
    ]).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
