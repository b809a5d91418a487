import { addFen, type Fen } from '../../core/money';
import {
  CUSTOMER_CHANNEL,
  CustomerMessage,
  customerViewOf,
  type CustomerPhase,
  type CustomerView,
} from '../../core/sales/customer-view';
import { useCartStore } from '../state/cart-store';
import { usePaymentStore, type WechatPhase } from '../state/payment-store';
import { useSessionStore } from '../state/session-store';
import { previewCheckout, settledTotals } from './checkout-actions';
import { base } from './services';

/** The customer's phase from the cart's stage and the WeChat payment's. */
function phaseOf(): CustomerPhase | null {
  const { stage, lines } = useCartStore.getState();
  const { phase, paidChangeFen } = usePaymentStore.getState();
  switch (stage) {
    case 'building':
      return lines.length === 0 ? { kind: 'idle' } : null;
    case 'paying':
      return { kind: 'due' };
    case 'done':
      return { kind: 'paid', changeFen: paidChangeFen ?? (0 as Fen) };
    case 'tender':
      return wechatPhase(phase);
  }
}

function wechatPhase(phase: WechatPhase): CustomerPhase {
  switch (phase.kind) {
    case 'qr':
      return {
        kind: 'native',
        codeUrl: phase.codeUrl,
        amountFen: phase.amountFen,
        expiresAt: phase.expiresAt as Extract<CustomerPhase, { kind: 'native' }>['expiresAt'],
      };
    case 'checking':
    case 'cancelling':
      return { kind: 'checking' };
    case 'confirming':
      return { kind: 'confirming' };
    case 'failed':
      if (phase.reason === 'closed') return { kind: 'failed', reason: 'closed' };
      if (phase.reason === 'expired') return { kind: 'failed', reason: 'expired' };
      if (phase.reason === 'declined') return { kind: 'failed', reason: 'declined' };
      return { kind: 'due' };
    case 'none':
    case 'recording':
    case 'placing':
    case 'charging':
    case 'approval':
      return { kind: 'due' };
  }
}

/** What the customer display should show now. */
export function currentCustomerView(): CustomerView {
  const { lines, vouchers, outcomes, stage, member } = useCartStore.getState();
  const { locale, terminal } = useSessionStore.getState();
  const names = new Map(vouchers.map((v) => [v.code as string, v.candidate?.batch.name ?? null]));
  const memberOnly = new Set(
    vouchers.flatMap((v) => ((v.candidate?.batch.memberTiers.length ?? 0) > 0 ? [v.code] : [])),
  );
  const fallback = locale === 'zh-CN' ? '优惠券' : 'Voucher';
  const subtotalFen = addFen(...lines.map((l) => (l.unitPriceFen * l.quantity) as Fen));
  let applied: { name: string; discountFen: Fen; memberOnly: boolean }[];
  let discountFen: Fen;
  let dueFen: Fen;
  if (stage === 'building' || stage === 'paying') {
    // With the member, as the cashier's preview: a member-only voucher applies on both screens.
    const { evaluation } = previewCheckout(lines, vouchers, base.deps.now(), member);
    applied = evaluation.applied.map((a) => ({
      name: names.get(a.code) ?? fallback,
      discountFen: a.discountFen,
      memberOnly: memberOnly.has(a.code),
    }));
    discountFen = evaluation.discountFen;
    dueFen = evaluation.totalFen;
  } else {
    const settled = settledTotals(subtotalFen, outcomes);
    applied = outcomes.flatMap((o) =>
      o.result.kind === 'accepted'
        ? [
            {
              name: names.get(o.code) ?? fallback,
              discountFen: o.result.discountFen,
              memberOnly: memberOnly.has(o.code),
            },
          ]
        : [],
    );
    discountFen = settled.discountFen;
    dueFen = settled.totalFen;
  }
  return customerViewOf({
    locale,
    storeName: terminal?.store.name ?? '',
    lines,
    vouchers: applied,
    subtotalFen,
    discountFen,
    dueFen,
    member: member === null ? null : { tier: member.tier, phone: member.phone },
    phase: phaseOf(),
  });
}

/**
 * Feeds the customer display from this cashier window over a BroadcastChannel: the whole view on
 * every change of the cart, the payment or the language, and again when a display says hello.
 * A channel, not the server's socket: the display must keep showing the order when the network is
 * down (cash sales go on), and it stays out of reach of the terminal's token.
 */
export function startCustomerFeed(): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CUSTOMER_CHANNEL);
  let last = '';
  const publish = (force: boolean): void => {
    const message: CustomerMessage = { type: 'view', view: currentCustomerView() };
    const text = JSON.stringify(message);
    if (!force && text === last) return;
    last = text;
    channel.postMessage(message);
  };
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const parsed = CustomerMessage.safeParse(event.data);
    if (parsed.success && parsed.data.type === 'hello') publish(true);
  };
  const unsubscribe = [
    useCartStore.subscribe(() => publish(false)),
    usePaymentStore.subscribe(() => publish(false)),
    useSessionStore.subscribe(() => publish(false)),
  ];
  publish(true);
  return () => {
    for (const u of unsubscribe) u();
    channel.close();
  };
}
