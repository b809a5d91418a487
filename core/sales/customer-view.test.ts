import { describe, expect, it } from 'vitest';
import type { MemberTier } from '../ids';
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
    { name: '满20减5', discountFen: fen(500), memberOnly: false },
    { name: '无效券', discountFen: fen(0), memberOnly: false },
  ],
  subtotalFen: fen(2_500),
  discountFen: fen(500),
  dueFen: fen(2_000),
  member: null,
};

const gold = { tier: 'gold' as MemberTier, phone: '13800138000' };

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

  it('names the member by tier and masked phone, and counts the member-only vouchers as the member’s savings', () => {
    const view = customerViewOf({
      ...order,
      vouchers: [
        { name: '金卡专享', discountFen: fen(800), memberOnly: true },
        { name: '满20减5', discountFen: fen(500), memberOnly: false },
      ],
      discountFen: fen(1_300),
      member: gold,
      phase: null,
    });
    expect(view.member).toEqual({ tier: 'gold', phoneMasked: '138****8000' });
    expect(view.memberSavingsFen).toBe(800);
    expect(JSON.stringify(view)).not.toContain('13800138000');
    expect(CustomerView.safeParse(view).success).toBe(true);
  });

  it('has no member and no member savings when no member is on the order', () => {
    const view = customerViewOf({ ...order, phase: null });
    expect(view.member).toBeNull();
    expect(view.memberSavingsFen).toBe(0);
  });

  it('refuses a view that carries a full phone number', () => {
    const view = customerViewOf({ ...order, member: gold, phase: null });
    const leaked = { ...view, member: { tier: 'gold', phoneMasked: '13800138000' } };
    expect(CustomerView.safeParse(leaked).success).toBe(false);
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
