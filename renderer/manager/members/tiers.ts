import type { MemberTier } from '../../../core/ids';
import type { T } from '../i18n/strings';

/** The demo chain's tiers, low to high; any other slug a chain uses is shown as it is. */
const KNOWN = ['silver', 'gold', 'platinum'] as const;
type Known = (typeof KNOWN)[number];
const isKnown = (tier: string): tier is Known => (KNOWN as readonly string[]).includes(tier);

/** A tier in words: 金卡 / Gold for the known ones, the slug for the rest. */
export function tierText(tier: string, t: T): string {
  return isKnown(tier) ? t(`tier_${tier}`) : tier;
}

/** The tiers a picker offers: the known ones, then any other seen (the list, the URL). */
export function tierChoices(seen: readonly (string | null | undefined)[]): MemberTier[] {
  const others = seen.filter((s): s is string => !!s && !isKnown(s));
  return [...new Set([...KNOWN, ...others.sort()])] as MemberTier[];
}
