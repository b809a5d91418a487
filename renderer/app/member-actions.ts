import { maskPhone, phoneOf } from '../../core/members';
import { findMember, type MemberKey } from '../data/members';
import { tierKey } from '../i18n/member-strings';
import { translate } from '../i18n/strings';
import { useCartStore } from '../state/cart-store';
import { useRedemptionStore } from '../state/redemption-store';
import { useSessionStore } from '../state/session-store';
import { base, terminalServices } from './services';

const notify = (message: string): void =>
  useRedemptionStore.getState().show('', { kind: 'notice', message });

/**
 * Puts the member found by card or phone on the order being rung up. Only while the order is
 * still being built: the vouchers are judged on the member, so they must not change under a
 * redemption already sent. True when a member is now on the order.
 */
export async function identifyMember(key: MemberKey): Promise<boolean> {
  const services = terminalServices();
  const { locale } = useSessionStore.getState();
  if (!services) return false;
  if (useCartStore.getState().stage !== 'building') {
    notify(translate(locale, 'lockedCart'));
    return false;
  }
  const found = await findMember(base.db, services.api, base.connectivity, key);
  if (found.kind === 'failed') {
    notify(found.message);
    return false;
  }
  if (found.kind === 'not_found') {
    notify(
      'card' in key
        ? translate(locale, 'memberCardUnknown', { card: key.card })
        : translate(locale, 'memberPhoneUnknown', { phone: maskPhone(key.phone) }),
    );
    return false;
  }
  const { member } = found;
  useCartStore.getState().setMember(member);
  const tier = tierKey(member.tier);
  notify(
    translate(locale, found.fromCache ? 'memberFoundOffline' : 'memberFound', {
      name: member.name,
      tier: tier === null ? member.tier : translate(locale, tier),
    }),
  );
  return true;
}

/** The phone the cashier typed (F10): refused here when it is not a mainland mobile number. */
export async function identifyMemberByPhone(typed: string): Promise<boolean> {
  const phone = phoneOf(typed);
  if (phone === null) {
    notify(translate(useSessionStore.getState().locale, 'memberPhoneFormat'));
    return false;
  }
  return identifyMember({ phone });
}
