import type { Locale } from '../messages/format';
import type { CycleBucket, TenderKind } from './aggregates';
import type { CycleBand } from './figures';

/** The words of report keys (cycle buckets, bands, tenders) in both locales. */

const BUCKET_TEXT: Readonly<Record<CycleBucket, Readonly<Record<Locale, string>>>> = {
  cycle0: { 'zh-CN': '当天', en: 'the same day' },
  cycle1: { 'zh-CN': '1 天', en: '1 day' },
  cycle2: { 'zh-CN': '2 天', en: '2 days' },
  cycle3: { 'zh-CN': '3 天', en: '3 days' },
  cycle4to7: { 'zh-CN': '4–7 天', en: '4–7 days' },
  cycleOver7: { 'zh-CN': '7 天以上', en: 'over 7 days' },
};

/** A cycle bucket as words, for charts, CSV and alerts. */
export const cycleBucketText = (b: CycleBucket, locale: Locale): string => BUCKET_TEXT[b][locale];

const BAND_TEXT: Readonly<Record<CycleBand, Readonly<Record<Locale, string>>>> = {
  healthy: { 'zh-CN': '健康', en: 'healthy' },
  middle: { 'zh-CN': '一般', en: 'fair' },
  warning: { 'zh-CN': '预警', en: 'warning' },
};

const TENDER_TEXT: Readonly<Record<TenderKind, Readonly<Record<Locale, string>>>> = {
  cash: { 'zh-CN': '现金', en: 'Cash' },
  wechat_native: { 'zh-CN': '微信扫码支付', en: 'WeChat Native' },
  wechat_code: { 'zh-CN': '付款码', en: 'Payment code' },
  voucher: { 'zh-CN': '代金券', en: 'Voucher' },
};

export const bandText = (b: CycleBand, locale: Locale): string => BAND_TEXT[b][locale];

export const tenderText = (t: TenderKind, locale: Locale): string => TENDER_TEXT[t][locale];
