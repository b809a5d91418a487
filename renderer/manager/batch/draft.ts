import type { z } from 'zod';
import type { Batch } from '../../../core/vouchers';

/** A batch as the form holds it: the core schema's input, with NaN where a number is unreadable. */
export type Draft = z.input<typeof Batch>;
export type BenefitDraft = Draft['benefit'];

/** The chain's default zone (Asia/Shanghai, UTC+8, no daylight saving): the form's dates are in it. */
const OFFSET = '+08:00';

export const dateOf = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
export const startOfDate = (date: string): string => `${date}T00:00:00${OFFSET}`;
/** The end of a day, inclusive to the manager: the next midnight, exclusive to the core. */
export const endOfDate = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00${OFFSET}`) + 86_400_000).toISOString();

/** A new batch: a 满100减20 voucher valid for the next 30 days in every store. */
export function newDraft(nowMs: number): Draft {
  const today = dateOf(new Date(nowMs).toISOString());
  const later = dateOf(new Date(nowMs + 30 * 86_400_000).toISOString());
  return {
    id: '',
    name: '',
    benefit: { kind: 'threshold', thresholdFen: 10_000, valueFen: 2_000 },
    state: 'active',
    validity: { type: 'fixed', from: startOfDate(today), until: endOfDate(later) },
    windows: [],
    items: { skus: [], categories: [] },
    minSpendFen: 0,
    stores: { type: 'all' },
    memberTiers: [],
    stacking: 'other_kinds',
    withMemberDiscount: true,
    perOrderLimit: 1,
    perCustomerDailyLimit: null,
    dailyCap: null,
    returnOnRefund: false,
  };
}

/** The benefit of another kind, keeping the amount where both kinds have one. */
export function benefitOfKind(kind: BenefitDraft['kind'], from: BenefitDraft): BenefitDraft {
  const value = 'valueFen' in from ? from.valueFen : 1_000;
  switch (kind) {
    case 'cash':
    case 'general':
      return { kind, valueFen: value };
    case 'threshold':
      return { kind, thresholdFen: Math.max(value, 10_000), valueFen: value };
    case 'discount':
      return { kind, percentOffBp: 2_000 };
    case 'gift':
      return { kind, sku: '', quantity: 1 };
    case 'group_buy':
      return { kind, items: [{ sku: '', quantity: 1 }], priceFen: 3_900 };
  }
}

/** "a, b ,c" → ["a","b","c"]; the list fields of the form. */
export const listOf = (text: string): string[] =>
  text
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
