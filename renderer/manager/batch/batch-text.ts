import type { Locale } from '../../../core/messages/format';
import { localInstant } from '../../../core/messages/format';
import type { Batch } from '../../../core/vouchers';
import type { T } from '../i18n/strings';

/** "2026-01-01 – 2026-03-31" or "30 days after claim", in the chain's time zone. */
export function validityText(batch: Batch, t: T): string {
  const v = batch.validity;
  if (v.type === 'after_claim') return t('afterClaim', { n: v.days });
  return `${localInstant(v.from).slice(0, 10)} – ${localInstant(new Date(Date.parse(v.until) - 1).toISOString()).slice(0, 10)}`;
}

/** "Every store", or the regions and stores named, with how many stores that reaches. */
export function storesText(
  batch: Batch,
  t: T,
  locale: Locale,
  names: { store: (id: string) => string; group: (id: string) => string },
): string {
  const s = batch.stores;
  if (s.type === 'all') return t('everyStore');
  const parts = [...s.groupIds.map(names.group), ...s.storeIds.map(names.store)];
  return parts.join(locale === 'zh-CN' ? '、' : ', ');
}
