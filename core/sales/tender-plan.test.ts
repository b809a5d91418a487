import { describe, expect, it } from 'vitest';
import type { ClientId } from '../ids';
import { fen } from '../money';
import { planTenders } from './tender-plan';

const paymentId = '0190a4d2-6c1e-7000-8000-000000000001' as ClientId;

describe('planTenders', () => {
  it('takes cash at the amount due and hands back the rest as change', () => {
    expect(planTenders(fen(4_250), { kind: 'cash', tenderedFen: fen(5_000) })).toEqual({
      ok: true,
      tenders: [{ kind: 'cash', amountFen: 4_250, tenderedFen: 5_000 }],
      wechatFen: 0,
      changeFen: 750,
    });
  });

  it('refuses cash short of the amount due', () => {
    expect(planTenders(fen(4_250), { kind: 'cash', tenderedFen: fen(4_249) })).toEqual({
      ok: false,
      code: 'CASH_SHORT',
    });
  });

  it('takes no tender when the vouchers paid for everything', () => {
    expect(planTenders(fen(0), { kind: 'cash', tenderedFen: fen(0) })).toMatchObject({
      ok: true,
      tenders: [],
      changeFen: 0,
    });
  });

  it('puts the whole amount due on one WeChat Native tender', () => {
    expect(planTenders(fen(1_999), { kind: 'wechat_native', paymentId })).toEqual({
      ok: true,
      tenders: [{ kind: 'wechat_native', amountFen: 1_999, paymentId }],
      wechatFen: 1_999,
      changeFen: 0,
    });
  });

  it('puts the whole amount due on one payment-code tender, and charges no code for nothing due', () => {
    expect(planTenders(fen(2_500), { kind: 'wechat_code', paymentId })).toEqual({
      ok: true,
      tenders: [{ kind: 'wechat_code', amountFen: 2_500, paymentId }],
      wechatFen: 2_500,
      changeFen: 0,
    });
    expect(planTenders(fen(0), { kind: 'wechat_code', paymentId })).toEqual({
      ok: false,
      code: 'NOTHING_TO_PAY_BY_WECHAT',
    });
  });

  it('places no WeChat order for nothing due', () => {
    expect(planTenders(fen(0), { kind: 'wechat_native', paymentId })).toEqual({
      ok: false,
      code: 'NOTHING_TO_PAY_BY_WECHAT',
    });
  });

  it('splits into the cash part and WeChat for the rest', () => {
    expect(planTenders(fen(10_000), { kind: 'split', cashFen: fen(3_000), paymentId })).toEqual({
      ok: true,
      tenders: [
        { kind: 'cash', amountFen: 3_000, tenderedFen: 3_000 },
        { kind: 'wechat_native', amountFen: 7_000, paymentId },
      ],
      wechatFen: 7_000,
      changeFen: 0,
    });
  });

  it('refuses a split whose cash part leaves nothing for WeChat, or is nothing', () => {
    const due = fen(10_000);
    expect(planTenders(due, { kind: 'split', cashFen: due, paymentId })).toMatchObject({
      code: 'SPLIT_CASH_COVERS_ALL',
    });
    expect(planTenders(due, { kind: 'split', cashFen: fen(0), paymentId })).toMatchObject({
      code: 'SPLIT_CASH_ZERO',
    });
  });
});
