import { describe, expect, it } from 'vitest';
import { fen } from '../money';
import { CustomerMessage, CustomerView, customerViewOf } from './customer-view';

const order = {
  locale: 'zh-CN' as const,
  storeName: '静安店',
  lines: [
    { name: '牛奶', quantity: 2, unitPriceFen: fen(650) },
    { name: '面包', quantity: 1, unitPriceFen: fen(1_200) },
  ],
  vouchers: [
    { name: '满20减5', discountFen: fen(500) },
    { name: '无效券', discountFen: fen(0) },
  ],
  subtotalFen: fen(2_500),
  discountFen: fen(500),
  dueFen: fen(2_000),
};

describe('customerViewOf', () => {
  it('is idle while the order is empty', () => {
    const view = customerViewOf({ ...order, lines: [], vouchers: [], phase: null });
    expect(view.phase).toEqual({ kind: 'idle' });
  });

  it('shows the lines as scanned with their amounts, and only vouchers that save something', () => {
    const view = customerViewOf({ ...order, phase: null });
    expect(view.phase).toEqual({ kind: 'scanning' });
    expect(view.lines.map((l) => l.amountFen)).toEqual([1_300, 1_200]);
    expect(view.vouchers).toEqual([{ name: '满20减5', discountFen: 500 }]);
    expect(view.dueFen).toBe(2_000);
  });

  it('carries the Native QR code and its expiry while the customer may pay', () => {
    const phase = {
      kind: 'native' as const,
      codeUrl: 'weixin://wxpay/bizpayurl?pr=abc',
      amountFen: fen(2_000),
      expiresAt: '2026-12-02T10:05:00.000Z' as never,
    };
    const view = customerViewOf({ ...order, phase });
    expect(view.phase).toEqual(phase);
    expect(CustomerView.safeParse(view).success).toBe(true);
  });

  it('is what the channel accepts, and nothing else is', () => {
    const view = customerViewOf({ ...order, phase: { kind: 'paid', changeFen: fen(300) } });
    expect(CustomerMessage.safeParse({ type: 'view', view }).success).toBe(true);
    expect(CustomerMessage.safeParse({ type: 'view', view: { ...view, dueFen: -1 } }).success).toBe(
      false,
    );
    expect(CustomerMessage.safeParse({ type: 'scan', value: '123' }).success).toBe(false);
  });
});
