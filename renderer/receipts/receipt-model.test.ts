import { describe, expect, it } from 'vitest';
import type { ClientId, StoreGroupId, StoreId, TerminalId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import { layoutReceipt } from '../../core/receipt/layout';
import { Receipt } from '../../core/receipt/model';
import { redemptionRecord } from '../../test/helpers/app-records';
import type { ReceiptRecord } from '../data/records';
import { redemptionReceipt, saleReceipt, type ReceiptContext } from './receipt-model';

const fen = (n: number) => n as Fen;
const REDEMPTION = '0190a000-0000-7000-8000-000000000abc' as ClientId;

const context = (over: Partial<ReceiptContext> = {}): ReceiptContext => ({
  store: {
    id: 'sh-001' as StoreId,
    name: '上海静安店',
    timeZone: 'Asia/Shanghai',
    groupIds: ['east' as StoreGroupId],
  },
  terminalId: 'sh-001-t1' as TerminalId,
  terminalName: 'Till 1',
  cashier: '王芳',
  locale: 'zh-CN',
  voucherNames: new Map([['CASH-0001', '10元现金券']]),
  reprintedAt: null,
  ...over,
});

const sale = (pendingSync: boolean): ReceiptRecord => ({
  id: '0190a000-0000-7000-8000-000000005a1e',
  createdAt: Date.UTC(2026, 10, 22, 5, 0, 0),
  storeId: 'sh-001' as StoreId,
  terminalId: 'sh-001-t1' as TerminalId,
  cashierName: '李雷',
  lines: [{ name: '拿铁', quantity: 2, unitPriceFen: fen(2800), lineTotalFen: fen(5600) }],
  vouchers: [
    {
      code: 'CASH-0001' as VoucherCode,
      redemptionId: REDEMPTION,
      discountFen: fen(1000),
      pendingSync,
    },
  ],
  refused: [],
  subtotalFen: fen(5600),
  discountFen: fen(1000),
  totalFen: fen(4600),
  tenderedFen: fen(5000),
  changeFen: fen(400),
});

describe('receipt model of the cashier app', () => {
  it('maps a finished cash sale to a valid receipt with its lines, voucher, cash and change', () => {
    const receipt = saleReceipt(sale(false), context());
    expect(Receipt.safeParse(receipt).success).toBe(true);
    expect(receipt).toMatchObject({
      cashier: '李雷',
      at: '2026-11-22T05:00:00.000Z',
      lines: [{ name: '拿铁', quantity: 2, unitPriceFen: 2800, amountFen: 5600 }],
      vouchers: [{ code: 'CASH-0001', name: '10元现金券', discountFen: 1000, pendingSync: false }],
      totals: { subtotalFen: 5600, discountFen: 1000, totalFen: 4600 },
      tenders: [{ kind: 'cash', amountFen: 5000, reference: null }],
      changeFen: 400,
      pendingSync: false,
      reprintedAt: null,
    });
  });

  it('marks a sale with an offline redemption as pending sync', () => {
    const receipt = saleReceipt(sale(true), context());
    expect(receipt.pendingSync).toBe(true);
    expect(receipt.vouchers[0]?.pendingSync).toBe(true);
  });

  it('drops the pending mark on a reprint once the redemption has synced', () => {
    const receipt = saleReceipt(
      sale(true),
      context({
        reprintedAt: '2026-11-22T06:00:00.000Z',
        redemptionStates: new Map([[REDEMPTION as string, 'synced' as const]]),
      }),
    );
    expect(receipt.pendingSync).toBe(false);
    expect(receipt.reprintedAt).toBe('2026-11-22T06:00:00.000Z');
    const rows = layoutReceipt(receipt, 48).rows.flatMap((r) =>
      r.kind === 'text' ? [r.text] : [],
    );
    expect(rows).toContain('*** 重印 ***');
  });

  it('turns an offline quick redemption into a voucher slip with the pending-sync mark', () => {
    const record = redemptionRecord({ code: 'CASH-0001' as VoucherCode, state: 'pending' });
    const receipt = redemptionReceipt(record, context({ locale: 'en', voucherNames: new Map() }));
    expect(receipt).not.toBeNull();
    expect(Receipt.safeParse(receipt).success).toBe(true);
    expect(receipt).toMatchObject({
      saleId: record.id,
      lines: [],
      vouchers: [{ code: 'CASH-0001', name: 'Voucher', discountFen: 500, pendingSync: true }],
      totals: { subtotalFen: 0, discountFen: 500, totalFen: 0 },
      tenders: [],
      pendingSync: true,
    });
  });

  it('gives no receipt for a redemption that redeemed nothing', () => {
    for (const state of ['rejected', 'unconfirmed', 'conflict', 'sending'] as const)
      expect(redemptionReceipt(redemptionRecord({ state }), context())).toBeNull();
  });

  it("prints a split sale's tenders: the cash handed over, WeChat Pay with the last digits of its transaction id", () => {
    const split: ReceiptRecord = {
      ...sale(false),
      tenderedFen: fen(2000),
      changeFen: fen(0),
      tenders: [
        { kind: 'cash', amountFen: fen(2000), transactionId: null },
        { kind: 'wechat_pay', amountFen: fen(2600), transactionId: '4200001234202611220012345678' },
      ],
    };
    const receipt = saleReceipt(split, context({ locale: 'en' }));
    expect(Receipt.safeParse(receipt).success).toBe(true);
    expect(receipt.tenders).toEqual([
      { kind: 'cash', amountFen: 2000, reference: null },
      { kind: 'wechat_pay', amountFen: 2600, reference: '…345678' },
    ]);
    const rows = layoutReceipt(receipt, 48).rows.flatMap((r) =>
      r.kind === 'text' ? [r.text] : [],
    );
    expect(rows.some((r) => r.startsWith('WeChat Pay') && r.endsWith('26.00'))).toBe(true);
    expect(rows).toContain('  …345678');
  });
});
