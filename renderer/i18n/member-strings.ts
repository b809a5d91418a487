/**
 * The sentences of members (会员) at checkout, in zh-CN (default) and English: a part of the one
 * table in strings.ts. Phone numbers are only ever shown masked (138****5678).
 */
const zh = {
  member: '会员',
  memberPhoneInput: '会员手机号',
  memberPhoneHint: '输入会员手机号后按回车，或扫描会员卡',
  memberFind: '查找会员',
  memberFinding: '正在查找会员…',
  memberRemove: '移除会员',
  memberFound: '已识别会员 {name}（{tier}）。',
  memberFoundOffline: '已识别会员 {name}（{tier}），离线：来自本机会员缓存。',
  memberCardUnknown: '会员卡 {card} 未登记。请核对卡号，或先为顾客办理会员。',
  memberPhoneUnknown: '手机号 {phone} 未登记会员。请核对号码，或先为顾客办理会员。',
  memberPhoneFormat: '请输入 11 位大陆手机号，例如 13800138000。',
  tier_silver: '银卡会员',
  tier_gold: '金卡会员',
  tier_platinum: '铂金会员',
} as const;

const en: Record<keyof typeof zh, string> = {
  member: 'Member',
  memberPhoneInput: 'Member phone',
  memberPhoneHint: 'Type the member’s phone and press Enter, or scan the member card',
  memberFind: 'Find member',
  memberFinding: 'Looking up the member…',
  memberRemove: 'Remove member',
  memberFound: 'Member {name} ({tier}) is on this order.',
  memberFoundOffline:
    'Member {name} ({tier}) is on this order — offline, from this till’s member cache.',
  memberCardUnknown:
    'Member card {card} is not registered. Check the card, or sign the customer up first.',
  memberPhoneUnknown:
    'No member has phone {phone}. Check the number, or sign the customer up first.',
  memberPhoneFormat: 'Enter an 11-digit mainland mobile number, e.g. 13800138000.',
  tier_silver: 'Silver member',
  tier_gold: 'Gold member',
  tier_platinum: 'Platinum member',
};

export const MEMBER_ZH = zh;
export const MEMBER_EN = en;

/** The tiers with words of their own; another tier is shown by its id. */
export type KnownTierKey = 'tier_silver' | 'tier_gold' | 'tier_platinum';

export function tierKey(tier: string): KnownTierKey | null {
  return tier === 'silver' || tier === 'gold' || tier === 'platinum' ? `tier_${tier}` : null;
}
