import { useEffect, useState } from 'react';
import { formatFen } from '../../core/money';
import {
  CUSTOMER_CHANNEL,
  CustomerMessage,
  type CustomerPhase,
  type CustomerView,
} from '../../core/sales/customer-view';
import { assertNever } from '../../core/result';
import { Countdown, QrCode } from '../components/QrCode';
import { tierKey } from '../i18n/member-strings';
import { translator, type T } from '../i18n/strings';

/**
 * The second screen, facing the customer: what the cashier window sends on the channel, nothing
 * else. It holds no database, no device client and no scan handler, so it can never redeem or pay.
 */
export function CustomerDisplay() {
  const [view, setView] = useState<CustomerView | null>(null);
  useEffect(() => {
    const channel = new BroadcastChannel(CUSTOMER_CHANNEL);
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const parsed = CustomerMessage.safeParse(event.data);
      if (parsed.success && parsed.data.type === 'view') setView(parsed.data.view);
    };
    channel.postMessage({ type: 'hello' } satisfies CustomerMessage);
    return () => channel.close();
  }, []);
  useEffect(() => {
    if (view) document.documentElement.lang = view.locale;
  }, [view]);
  const t = translator(view?.locale ?? 'zh-CN');
  if (!view || view.phase.kind === 'idle')
    return (
      <main className="customer idle" data-testid="customer-display" data-phase="idle">
        <h1>{t('customerWelcome')}</h1>
        {view?.storeName && <p className="customer-store">{view.storeName}</p>}
        <p>{t('customerIdle')}</p>
      </main>
    );
  return (
    <main className="customer" data-testid="customer-display" data-phase={view.phase.kind}>
      <section className="customer-order">
        <h2 className="customer-store">{view.storeName}</h2>
        {view.member && <MemberLine member={view.member} t={t} />}
        <table className="customer-lines">
          <tbody>
            {view.lines.map((l, i) => (
              <tr key={i} data-testid="customer-line">
                <td>{l.name}</td>
                <td className="num">
                  {l.quantity} × {formatFen(l.unitPriceFen)}
                </td>
                <td className="num">{formatFen(l.amountFen)}</td>
              </tr>
            ))}
            {view.vouchers.map((v, i) => (
              <tr key={`v${i}`} className="customer-voucher" data-testid="customer-voucher">
                <td colSpan={2}>{v.name}</td>
                <td className="num">−{formatFen(v.discountFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="customer-pay">
        <p className="customer-due-label">
          {t(view.phase.kind === 'paid' ? 'customerPaidLabel' : 'customerDue')}
        </p>
        <p className="customer-due" data-testid="customer-due">
          {formatFen(view.dueFen)}
        </p>
        {view.discountFen > 0 && (
          <p className="customer-savings" data-testid="customer-savings">
            {t('customerSavings', { amount: formatFen(view.discountFen) })}
          </p>
        )}
        {view.memberSavingsFen > 0 && (
          <p className="customer-member-savings" data-testid="customer-member-savings">
            {t('customerMemberSavings', { amount: formatFen(view.memberSavingsFen) })}
          </p>
        )}
        <PhasePanel phase={view.phase} t={t} />
      </section>
    </main>
  );
}

/** The member on the order as the customer sees it: the tier and the masked phone. */
function MemberLine({
  member,
  t,
}: {
  readonly member: NonNullable<CustomerView['member']>;
  readonly t: T;
}) {
  const key = tierKey(member.tier);
  return (
    <p className="customer-member" data-testid="customer-member" data-tier={member.tier}>
      <span className="member-badge">{t('member')}</span>
      <b data-testid="customer-member-tier">{key === null ? member.tier : t(key)}</b>
      <span data-testid="customer-member-phone">{member.phoneMasked}</span>
    </p>
  );
}

function PhasePanel({ phase, t }: { readonly phase: CustomerPhase; readonly t: T }) {
  switch (phase.kind) {
    case 'idle':
    case 'scanning':
    case 'due':
      return null;
    case 'native':
      return (
        <div className="customer-qr">
          <p className="customer-scan">{t('customerScan')}</p>
          {/* 360 CSS px is about 9.5 cm on a 96 dpi screen: readable by a phone at 50 cm. */}
          <QrCode text={phase.codeUrl} size={360} testId="customer-qr" />
          <Countdown expiresAt={phase.expiresAt} label={(time) => t('wechatExpiresIn', { time })} />
        </div>
      );
    case 'checking':
      return <p className="customer-status">{t('customerChecking')}</p>;
    case 'confirming':
      return (
        <p className="customer-status" data-testid="customer-confirming">
          {t('customerConfirming')}
        </p>
      );
    case 'paid':
      return (
        <div className="customer-status ok" data-testid="customer-paid">
          <p>{t('customerPaid')}</p>
          {phase.changeFen > 0 && (
            <p>{t('customerChange', { amount: formatFen(phase.changeFen) })}</p>
          )}
        </div>
      );
    case 'failed':
      return (
        <p className="customer-status bad" data-testid="customer-failed" data-reason={phase.reason}>
          {t(
            phase.reason === 'expired'
              ? 'customerExpired'
              : phase.reason === 'closed'
                ? 'customerClosed'
                : 'customerDeclined',
          )}
        </p>
      );
    default:
      return assertNever(phase, 'customer phase');
  }
}
