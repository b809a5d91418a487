import type { Fen } from '../money';
import { formatFen } from '../money';
import { DEFAULT_TIME_ZONE, formatLocalDateTime, formatMinuteOfDay } from '../time';
import type { TimeWindow } from '../vouchers';

/** The languages Tillpoint speaks: zh-CN is the default everywhere. */
export type Locale = 'zh-CN' | 'en';
export const LOCALES = ['zh-CN', 'en'] as const satisfies readonly Locale[];

/** One text per locale, picked at the edge. */
export type Texts = Readonly<Record<Locale, string>>;

export const money = (amount: Fen | number): string => formatFen(amount as Fen);

/** "300" for whole yuan, "299.5" / "0.05" otherwise: the compact form of 满300减50. */
export function compactYuan(amount: Fen | number): string {
  const whole = Math.floor(amount / 100);
  const cents = amount % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** "¥30" for whole yuan, "¥0.50" otherwise: short amounts for benefit descriptions. */
export const shortMoney = (amount: Fen | number): string =>
  amount % 100 === 0 ? `¥${compactYuan(amount)}` : money(amount);

export const localInstant = (iso: string, timeZone: string = DEFAULT_TIME_ZONE): string =>
  formatLocalDateTime(Date.parse(iso), timeZone);

const WEEKDAYS: Record<Locale, readonly string[]> = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

/** [1,2,3,4,5,7] → "周一至周五、周日" / "Mon–Fri, Sun"; all seven → "每天" / "daily". */
export function weekdays(days: readonly number[], locale: Locale): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 7) return locale === 'zh-CN' ? '每天' : 'daily';
  const names = WEEKDAYS[locale];
  const runs: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j += 1;
    const first = names[(sorted[i] ?? 1) - 1] ?? '';
    const last = names[(sorted[j] ?? 1) - 1] ?? '';
    if (j - i >= 2) runs.push(locale === 'zh-CN' ? `${first}至${last}` : `${first}–${last}`);
    else for (let k = i; k <= j; k++) runs.push(names[(sorted[k] ?? 1) - 1] ?? '');
    i = j + 1;
  }
  return runs.join(locale === 'zh-CN' ? '、' : ', ');
}

/** "周一至周五 11:00–14:00；周六 10:00–22:00" / "Mon–Fri 11:00–14:00; Sat 10:00–22:00". */
export function windowsText(windows: readonly TimeWindow[], locale: Locale): string {
  return windows
    .map(
      (w) =>
        `${weekdays(w.weekdays, locale)} ${formatMinuteOfDay(w.startMinute)}–${formatMinuteOfDay(w.endMinute)}`,
    )
    .join(locale === 'zh-CN' ? '；' : '; ');
}

export const list = (items: readonly string[], locale: Locale): string =>
  items.join(locale === 'zh-CN' ? '、' : ', ');
