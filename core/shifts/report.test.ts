import { describe, expect, it } from 'vitest';
import { fen } from '../money';
import type { SaleState } from '../protocol/sale';
import {
  shiftFigures,
  type ShiftLedger,
  type ShiftRefundRow,
  type ShiftSaleRow,
  type ShiftTenderRow,
} from './report';

const empty: ShiftLedger = {
  floatFen: fen(50_000),
  countedFen: null,
  sales: [],
  tenders: [],
  vouchers: [],
  refunds: [],
};

const sale = (state: SaleState, dueFen: number, discountFen = 0): ShiftSaleRow => ({
  state,
  subtotalFen: fen(dueFen + discountFen),
  discountFen: fen(discountFen),
  dueFen: fen(dueFen),
});

const cash = (amountFen: number, changeFen = 0, saleState: SaleState = 'paid'): ShiftTenderRow => ({
  saleState,
  kind: 'cash',
  amountFen: fen(amountFen),
  changeFen: fen(changeFen),
  state: 'settled',
});

const wechat = (
  amountFen: number,
  state = 'paid',
  saleState: SaleState = 'paid',
): ShiftTenderRow => ({
  saleState,
  kind: 'wechat_native',
  amountFen: fen(amountFen),
  changeFen: fen(0),
  state,
});

const refund = (
  kind: 'cash' | 'wechat',
  amountFen: number,
  state = 'succeeded',
  refundId = 'r1',
): ShiftRefundRow => ({
  refundId,
  kind,
  amountFen: fen(amountFen),
  state,
});

describe('shiftFigures', () => {
  it('expects the float alone in the drawer of a shift that sold nothing', () => {
    const f = shiftFigures({ ...empty, countedFen: fen(50_000) });
    expect(f.sales).toEqual({ count: 0, subtotalFen: 0, discountFen: 0, amountFen: 0 });
    expect(f.cash).toMatchObject({ expectedFen: 50_000, countedFen: 50_000, differenceFen: 0 });
    expect(f.tenders.map((t) => t.kind)).toEqual(['cash', 'wechat_native', 'wechat_code']);
  });

  it('expects float plus cash handed over minus change minus cash refunds', () => {
    const f = shiftFigures({
      ...empty,
      countedFen: fen(54_000),
      sales: [sale('paid', 6_100, 1_000), sale('partly_refunded', 2_200)],
      tenders: [cash(6_100, 3_900), cash(2_200)],
      refunds: [refund('cash', 2_000)],
    });
    expect(f.cash).toEqual({
      floatFen: 50_000,
      tenderedFen: 10_000 + 2_200,
      changeFen: 3_900,
      refundsFen: 2_000,
      expectedFen: 50_000 + 12_200 - 3_900 - 2_000,
      countedFen: 54_000,
      differenceFen: 54_000 - 56_300,
    });
  });

  it('counts sales at the amount due and lists each tender kind, their sum the sales amount', () => {
    const f = shiftFigures({
      ...empty,
      sales: [sale('paid', 3_000), sale('refunded', 5_000, 500)],
      tenders: [cash(1_000), wechat(2_000), wechat(5_000, 'paid', 'refunded')],
    });
    expect(f.sales).toEqual({ count: 2, subtotalFen: 8_500, discountFen: 500, amountFen: 8_000 });
    expect(f.tenders).toEqual([
      { kind: 'cash', count: 1, amountFen: 1_000 },
      { kind: 'wechat_native', count: 2, amountFen: 7_000 },
      { kind: 'wechat_code', count: 0, amountFen: 0 },
    ]);
    expect(f.tenders.reduce((s, t) => s + t.amountFen, 0)).toBe(f.sales.amountFen);
  });

  it('keeps sales waiting for WeChat and voided sales out of the sales and the drawer', () => {
    const f = shiftFigures({
      ...empty,
      sales: [sale('open', 2_800), sale('voided', 1_500), sale('paid', 900)],
      tenders: [wechat(2_800, 'pending', 'open'), cash(1_500, 0, 'voided'), cash(900)],
    });
    expect(f.sales.count).toBe(1);
    expect(f.unpaid).toEqual({ count: 1, amountFen: 2_800 });
    expect(f.voids).toEqual({ count: 1, amountFen: 1_500 });
    expect(f.cash.expectedFen).toBe(50_000 + 900);
  });

  it('does not count a failed WeChat tender as money taken', () => {
    const f = shiftFigures({
      ...empty,
      sales: [sale('paid', 1_000)],
      tenders: [wechat(1_000, 'failed'), cash(1_000)],
    });
    expect(f.tenders[0]).toEqual({ kind: 'cash', count: 1, amountFen: 1_000 });
    expect(f.tenders[1]).toEqual({ kind: 'wechat_native', count: 0, amountFen: 0 });
  });

  it('sums vouchers per batch in batch order, from sold sales only', () => {
    const f = shiftFigures({
      ...empty,
      sales: [sale('paid', 100)],
      vouchers: [
        {
          saleState: 'paid',
          batchId: 'demo-threshold',
          batchName: '满300减50',
          discountFen: fen(5_000),
        },
        { saleState: 'paid', batchId: 'demo-cash', batchName: '10元券', discountFen: fen(1_000) },
        { saleState: 'paid', batchId: 'demo-cash', batchName: '10元券', discountFen: fen(1_000) },
        { saleState: 'open', batchId: 'demo-cash', batchName: '10元券', discountFen: fen(1_000) },
      ],
    });
    expect(f.vouchers).toEqual([
      { batchId: 'demo-cash', name: '10元券', count: 2, amountFen: 2_000 },
      { batchId: 'demo-threshold', name: '满300减50', count: 1, amountFen: 5_000 },
    ]);
  });

  it('counts a refund once across its parts and leaves closed WeChat refunds out', () => {
    const f = shiftFigures({
      ...empty,
      refunds: [
        refund('cash', 500, 'succeeded', 'r1'),
        refund('wechat', 1_500, 'processing', 'r1'),
        refund('wechat', 900, 'closed', 'r2'),
      ],
    });
    expect(f.refunds).toEqual({ count: 1, cashFen: 500, wechatFen: 1_500 });
    expect(f.cash.refundsFen).toBe(500);
  });

  it('reports a surplus as a positive difference', () => {
    const f = shiftFigures({ ...empty, countedFen: fen(50_100) });
    expect(f.cash.differenceFen).toBe(100);
  });
});
