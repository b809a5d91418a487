import { describe, expect, it } from 'vitest';
import { SCAN_REFUSALS } from './codes/refusals';
import type { StoreId, TerminalId } from './ids';
import {
  describeBenefit,
  LOCALES,
  paymentReasonMessage,
  reasonMessage,
  scanRefusalMessage,
  weekdays,
} from './messages';
import { PaymentReason } from './protocol/payment';
import { Reason, type ReasonCode } from './reasons';
import { Benefit } from './vouchers';

/**
 * One sample of every reason. `satisfies` makes a new Reason variant fail to
 * compile here until it has a sample, and the test below enumerates the codes
 * from the zod schema, so nothing can be added without a message being tested.
 */
const SAMPLES = {
  BATCH_PAUSED: { code: 'BATCH_PAUSED', batchId: 'B1' },
  BATCH_REVOKED: { code: 'BATCH_REVOKED', batchId: 'B1' },
  NOT_YET_VALID: { code: 'NOT_YET_VALID', from: '2026-07-01T00:00:00+08:00' },
  EXPIRED: { code: 'EXPIRED', at: '2026-06-30T16:00:00Z' },
  CLAIM_DATE_UNKNOWN: { code: 'CLAIM_DATE_UNKNOWN' },
  OUTSIDE_HOURS: {
    code: 'OUTSIDE_HOURS',
    windows: [{ weekdays: [1, 2, 3, 4, 5], startMinute: 660, endMinute: 840 }],
  },
  WRONG_STORE: {
    code: 'WRONG_STORE',
    storeId: 'CD-07',
    allowedStores: ['SH-01'],
    allowedGroups: ['EAST'],
  },
  TIER_REQUIRED: { code: 'TIER_REQUIRED', tiers: ['gold'], memberTier: null },
  NOT_WITH_MEMBER_DISCOUNT: { code: 'NOT_WITH_MEMBER_DISCOUNT' },
  NO_ELIGIBLE_ITEMS: { code: 'NO_ELIGIBLE_ITEMS' },
  THRESHOLD_NOT_MET: { code: 'THRESHOLD_NOT_MET', required: 30_000, eligibleSubtotal: 29_999 },
  GIFT_ITEM_MISSING: { code: 'GIFT_ITEM_MISSING', sku: 'SKU-CAKE', quantity: 1 },
  BUNDLE_INCOMPLETE: { code: 'BUNDLE_INCOMPLETE', missing: [{ sku: 'SKU-CAKE', quantity: 2 }] },
  NOT_STACKABLE: { code: 'NOT_STACKABLE', with: 'CASH30' },
  PER_ORDER_LIMIT: { code: 'PER_ORDER_LIMIT', limit: 2 },
  NOTHING_LEFT_TO_DISCOUNT: { code: 'NOTHING_LEFT_TO_DISCOUNT' },
  DUPLICATE_IN_ORDER: { code: 'DUPLICATE_IN_ORDER' },
  DAILY_CAP_REACHED: { code: 'DAILY_CAP_REACHED', cap: 500 },
  CUSTOMER_DAILY_LIMIT: { code: 'CUSTOMER_DAILY_LIMIT', limit: 1 },
  ALREADY_REDEEMED: { code: 'ALREADY_REDEEMED', at: '2026-06-14T09:30:00Z', storeId: 'SH-01' },
  UNKNOWN_CODE: { code: 'UNKNOWN_CODE' },
  FORGED_CODE: { code: 'FORGED_CODE' },
  CODE_VOID: { code: 'CODE_VOID' },
  OFFLINE_ALLOWANCE_EXCEEDED: { code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit: 'value' },
  NOT_IN_CATALOG: { code: 'NOT_IN_CATALOG' },
  NOT_RECEIVED: { code: 'NOT_RECEIVED' },
  PRICE_MISMATCH: { code: 'PRICE_MISMATCH', sku: 'CROISSANT', tillFen: 900, catalogFen: 1200 },
  DISCOUNT_MISMATCH: { code: 'DISCOUNT_MISMATCH', claimedFen: 400000, valuedFen: 1000 },
} satisfies { [C in ReasonCode]: unknown };

const sample = (code: ReasonCode): Reason => Reason.parse(SAMPLES[code]);
const schemaCodes = Reason.options.map((o) => o.shape.code.value);

describe('reasonMessage', () => {
  it('has a sample for every reason code in the schema', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...schemaCodes].sort());
  });

  it.each(schemaCodes.flatMap((code) => LOCALES.map((locale) => [code, locale] as const)))(
    'renders %s in %s as real text',
    (code, locale) => {
      const text = reasonMessage(sample(code), locale);
      expect(text.trim().length).toBeGreaterThan(8);
      expect(text).not.toMatch(/undefined|NaN|\[object/);
      if (locale === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
      else expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    },
  );

  it('gives every offline allowance limit its own message', () => {
    const texts = (['count', 'value', 'expired', 'none', 'before_lease'] as const).map((limit) =>
      reasonMessage({ code: 'OFFLINE_ALLOWANCE_EXCEEDED', limit }, 'en'),
    );
    expect(new Set(texts).size).toBe(5);
  });

  it('says how much offline allowance is left and what the voucher needed', () => {
    const reason = Reason.parse({
      code: 'OFFLINE_ALLOWANCE_EXCEEDED',
      limit: 'value',
      leftFen: 1250,
      neededFen: 5000,
    });
    expect(reasonMessage(reason)).toBe(
      '离线核销额度还剩 ¥12.50，该券需要 ¥50.00；请恢复网络后再核销。',
    );
    expect(reasonMessage(reason, 'en')).toContain('¥12.50 left and this voucher needs ¥50.00');
  });

  it('tells a till that it redeemed the code itself, and names another till by its name', () => {
    const reason = Reason.parse({
      code: 'ALREADY_REDEEMED',
      at: '2026-06-14T05:15:00Z',
      storeId: 'SH-01',
      terminalId: 'T-1',
      terminalName: '1号收银台',
    });
    expect(reasonMessage(reason, 'zh-CN', { terminalId: 'T-1' as TerminalId })).toBe(
      '本机已于 2026-06-14 13:15 核销过该券，不能重复使用。',
    );
    expect(reasonMessage(reason, 'en', { terminalId: 'T-2' as TerminalId })).toContain(
      'at SH-01 (1号收银台) on 2026-06-14 13:15',
    );
  });

  it('says how far an order is from the threshold, with money formatting', () => {
    expect(reasonMessage(sample('THRESHOLD_NOT_MET'))).toBe(
      '满¥300.00可用，当前可用商品合计¥299.99，还差¥0.01',
    );
    expect(reasonMessage(sample('THRESHOLD_NOT_MET'), 'en')).toBe(
      'Needs ¥300.00 of eligible items; this order has ¥299.99 (¥0.01 short)',
    );
  });

  it('names the store and the store-local time of an earlier redemption', () => {
    const storeName = (id: StoreId): string | undefined =>
      id === 'SH-01' ? '上海南京东路店' : undefined;
    expect(reasonMessage(sample('ALREADY_REDEEMED'), 'zh-CN', { storeName })).toBe(
      '该券已于 2026-06-14 17:30 在 上海南京东路店 核销，不能重复使用。',
    );
    expect(
      reasonMessage(sample('ALREADY_REDEEMED'), 'en', { timeZone: 'Europe/London' }),
    ).toContain('at SH-01 on 2026-06-14 10:30');
  });

  it('lists the allowed stores and regions for a wrong store', () => {
    expect(reasonMessage(sample('WRONG_STORE'), 'en', { storeGroupName: () => 'East China' })).toBe(
      'This voucher cannot be used at this store (CD-07); it is valid only at: SH-01, East China.',
    );
  });

  it('shows the valid hours in store time', () => {
    expect(reasonMessage(sample('OUTSIDE_HOURS'))).toBe(
      '该券仅限 周一至周五 11:00–14:00 使用（门店当地时间）。',
    );
    expect(reasonMessage(sample('OUTSIDE_HOURS'), 'en')).toBe(
      'This voucher can only be used Mon–Fri 11:00–14:00 (store time).',
    );
  });

  it('shows an expiry on the store wall clock (Shanghai by default)', () => {
    expect(reasonMessage(sample('EXPIRED'))).toBe('该券已于 2026-07-01 00:00 过期，不能使用。');
  });
});

describe('paymentReasonMessage', () => {
  it('says every payment reason in both languages, each its own text', () => {
    for (const locale of LOCALES) {
      const texts = PaymentReason.options.map((r) => paymentReasonMessage(r, locale));
      expect(new Set(texts).size).toBe(PaymentReason.options.length);
      for (const text of texts) expect(text.length).toBeGreaterThan(10);
    }
    expect(paymentReasonMessage('NOTENOUGH')).toContain('余额不足');
    expect(paymentReasonMessage('PAID_LATE', 'en')).toContain('refunded');
  });
});

describe('weekdays', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7], '每天', 'daily'],
    [[6, 7], '周六、周日', 'Sat, Sun'],
    [[1, 2, 3, 5], '周一至周三、周五', 'Mon–Wed, Fri'],
  ])('%j → %s / %s', (days, zh, en) => {
    expect(weekdays(days, 'zh-CN')).toBe(zh);
    expect(weekdays(days, 'en')).toBe(en);
  });
});

describe('describeBenefit', () => {
  it.each([
    [{ kind: 'cash', valueFen: 5_000 }, '无门槛减¥50', '¥50 off'],
    [
      { kind: 'threshold', thresholdFen: 30_000, valueFen: 5_000 },
      '满300减50',
      '¥50 off orders of ¥300+',
    ],
    [
      { kind: 'threshold', thresholdFen: 9_950, valueFen: 1_005 },
      '满99.5减10.05',
      '¥10.05 off orders of ¥99.50+',
    ],
    [
      { kind: 'discount', percentOffBp: 2_000, capFen: 3_000 },
      '8折 最高减¥30',
      '20% off, up to ¥30',
    ],
    [{ kind: 'discount', percentOffBp: 1_500 }, '8.5折', '15% off'],
    [{ kind: 'discount', percentOffBp: 10_000 }, '免费', 'Free'],
    [{ kind: 'gift', sku: 'SKU-CAKE', quantity: 1 }, '赠 SKU-CAKE ×1', 'Free SKU-CAKE ×1'],
    [
      {
        kind: 'group_buy',
        items: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 2 },
        ],
        priceFen: 3_900,
      },
      '团购价¥39：A ×1、B ×2',
      'Bundle at ¥39: A ×1, B ×2',
    ],
    [{ kind: 'general', valueFen: 2_000 }, '通用券减¥20', '¥20 off (general coupon)'],
  ] as const)('describes %j', (benefit, zh, en) => {
    expect(describeBenefit(Benefit.parse(benefit), 'zh-CN')).toBe(zh);
    expect(describeBenefit(Benefit.parse(benefit), 'en')).toBe(en);
  });

  it('names products through the look-up when given', () => {
    expect(
      describeBenefit(Benefit.parse({ kind: 'gift', sku: 'SKU-CAKE', quantity: 1 }), 'zh-CN', {
        productName: () => '提拉米苏',
      }),
    ).toBe('赠 提拉米苏 ×1');
  });
});

describe('scanRefusalMessage', () => {
  it.each(SCAN_REFUSALS.flatMap((r) => LOCALES.map((l) => [r, l] as const)))(
    'renders %s in %s',
    (r, l) => {
      expect(scanRefusalMessage(r, l).length).toBeGreaterThan(8);
    },
  );
});
