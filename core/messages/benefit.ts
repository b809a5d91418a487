import { assertNever } from '../result';
import type { Benefit } from '../vouchers';
import { compactYuan, list, type Locale, shortMoney } from './format';
import { type MessageOptions, productLabel } from './names';

/** 2 000 bp off → "8", 1 500 → "8.5", 1 234 → "8.766": the 折 a Chinese customer reads. */
function zhe(percentOffBp: number): string {
  return String(Number(((10_000 - percentOffBp) / 1_000).toFixed(3)));
}

const percent = (bp: number): string => `${Number((bp / 100).toFixed(2))}%`;

/**
 * A voucher's benefit in a few words for screens and receipts:
 * 无门槛减¥50 · 满300减50 · 8折 最高减¥30 · 赠 蛋糕 ×1 · 团购价¥39 … ·
 * "¥50 off" · "¥50 off ¥300+" · "20% off, up to ¥30" · "Free cake ×1".
 */
export function describeBenefit(
  benefit: Benefit,
  locale: Locale = 'zh-CN',
  options: Pick<MessageOptions, 'productName'> = {},
): string {
  const zh = locale === 'zh-CN';
  switch (benefit.kind) {
    case 'cash':
      return zh ? `无门槛减${shortMoney(benefit.valueFen)}` : `${shortMoney(benefit.valueFen)} off`;
    case 'threshold':
      return zh
        ? `满${compactYuan(benefit.thresholdFen)}减${compactYuan(benefit.valueFen)}`
        : `${shortMoney(benefit.valueFen)} off orders of ${shortMoney(benefit.thresholdFen)}+`;
    case 'discount': {
      if (benefit.percentOffBp === 10_000) return zh ? '免费' : 'Free';
      const cap = benefit.capFen;
      if (zh)
        return `${zhe(benefit.percentOffBp)}折${cap === undefined ? '' : ` 最高减${shortMoney(cap)}`}`;
      return `${percent(benefit.percentOffBp)} off${cap === undefined ? '' : `, up to ${shortMoney(cap)}`}`;
    }
    case 'gift': {
      const item = `${productLabel(benefit.sku, options)} ×${benefit.quantity}`;
      return zh ? `赠 ${item}` : `Free ${item}`;
    }
    case 'group_buy': {
      const items = list(
        benefit.items.map((i) => `${productLabel(i.sku, options)} ×${i.quantity}`),
        locale,
      );
      return zh
        ? `团购价${shortMoney(benefit.priceFen)}：${items}`
        : `Bundle at ${shortMoney(benefit.priceFen)}: ${items}`;
    }
    case 'general':
      return zh
        ? `通用券减${shortMoney(benefit.valueFen)}`
        : `${shortMoney(benefit.valueFen)} off (general coupon)`;
    default:
      return assertNever(benefit, 'benefit');
  }
}
