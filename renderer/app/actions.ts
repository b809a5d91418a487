import type { VoucherCode } from '../../core/ids';
import { classifyScan, type ScanConfig } from '../../core/codes/index';
import { assertNever } from '../../core/result';
import type { Candidate } from '../../core/vouchers';
import { candidateFromCache, localRedemptionOf, productByBarcode } from '../data/catalog';
import { translate } from '../i18n/strings';
import { useCartStore, type CartVoucher } from '../state/cart-store';
import { useRedemptionStore } from '../state/redemption-store';
import { useSessionStore } from '../state/session-store';
import { identifyMember } from './member-actions';
import { payByCode } from './native-payment';
import { openSale, saleIdOf } from './refund-actions';
import { base, terminalServices } from './services';

/** How scans are read here: the chain's key verifies signed codes; refusals in the cashier's language. */
function scanConfig(): ScanConfig {
  const { terminal, locale } = useSessionStore.getState();
  return terminal ? { codePublicKeyHex: terminal.codePublicKey, locale } : { locale };
}

/** Shows a short message where the cashier is looking. */
export function notify(message: string): void {
  useRedemptionStore.getState().show('', { kind: 'notice', message });
}

/**
 * Every scan (keyboard wedge, the entry field, later the device bridge) lands here and is routed
 * by what core says it is and by the screen the cashier is on.
 */
export async function handleScan(raw: string): Promise<void> {
  const { screen, locale } = useSessionStore.getState();
  // At the history (F3) a receipt's QR code is its sale id: it opens the sale for a refund.
  if (screen === 'queue' && saleIdOf(raw) !== null) return openSale(raw);
  const scan = classifyScan(raw, scanConfig());
  switch (scan.kind) {
    case 'voucher':
      if (screen === 'checkout') await addVoucherToCart(scan.code);
      else await quickRedeem(scan.code);
      return;
    case 'product': {
      const product = await productByBarcode(base.db, scan.barcode);
      if (!product) {
        notify(translate(locale, 'unknownProduct', { code: scan.barcode }));
        return;
      }
      if (useCartStore.getState().stage !== 'building') {
        notify(translate(locale, 'lockedCart'));
        return;
      }
      useCartStore.getState().addProduct(product);
      if (screen !== 'checkout') useSessionStore.getState().setScreen('checkout');
      return;
    }
    case 'member_card':
      if (screen !== 'checkout') useSessionStore.getState().setScreen('checkout');
      await identifyMember({ card: scan.card });
      return;
    case 'payment_code':
      // Only a sale awaiting payment can be charged; the tender panel decides whether it may start.
      if (screen === 'checkout' && useCartStore.getState().stage === 'tender')
        await payByCode(scan.code);
      else notify(translate(locale, 'paymentNotSupported'));
      return;
    case 'unknown':
      notify(scan.message);
      return;
    default:
      assertNever(scan, 'scan');
  }
}

/** One scan, zero clicks: redeem with no cart and show the result big. */
export async function quickRedeem(code: VoucherCode): Promise<void> {
  const services = terminalServices();
  if (!services) return;
  // At once, before anything is read or sent: the previous customer's answer must not stand
  // while this one waits on a dead line.
  useRedemptionStore.getState().start(code);
  const result = await services.redeemer.redeem({ code, cart: null, saleId: null, companions: [] });
  useRedemptionStore.getState().show(code, result);
}

/** Resolves a voucher for the cart: fresh from the server when online, else from the cache. */
export async function addVoucherToCart(code: VoucherCode): Promise<void> {
  const services = terminalServices();
  const cart = useCartStore.getState();
  const { locale } = useSessionStore.getState();
  if (!services) return;
  if (cart.stage !== 'building') {
    notify(translate(locale, 'lockedCart'));
    return;
  }
  if (cart.vouchers.some((v) => v.code === code)) {
    notify(translate(locale, 'voucherAlreadyInCart', { code }));
    return;
  }
  useCartStore.getState().addVoucher(await resolveVoucher(code));
}

async function resolveVoucher(code: VoucherCode): Promise<CartVoucher> {
  const services = terminalServices();
  if (!services) return { code, candidate: null, lookupRefusal: { code: 'UNKNOWN_CODE' } };
  const local = await localRedemptionOf(base.db, code);
  if (base.connectivity.online()) {
    const found = await services.api.lookupCode(code);
    if (found.ok) {
      base.connectivity.markOnline();
      const { code: state, batch } = found.value;
      if (state.state === 'void')
        return { code, candidate: null, lookupRefusal: { code: 'CODE_VOID' } };
      const candidate: Candidate = {
        code,
        batch,
        claimedAt: state.claimedAt,
        redeemed: local ?? state.redeemed,
      };
      return { code, candidate, lookupRefusal: null };
    }
    if (found.code === 'NOT_FOUND')
      return { code, candidate: null, lookupRefusal: { code: 'UNKNOWN_CODE' } };
    if (found.offline) base.connectivity.markOffline(found.message);
  }
  const cached = await candidateFromCache(base.db, services.terminal, code);
  return cached.ok
    ? { code, candidate: cached.candidate, lookupRefusal: null }
    : { code, candidate: null, lookupRefusal: cached.reason };
}
