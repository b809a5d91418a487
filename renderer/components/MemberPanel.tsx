import { useEffect, useRef, useState, type FormEvent } from 'react';
import { maskPhone } from '../../core/members';
import { identifyMemberByPhone } from '../app/member-actions';
import { tierKey } from '../i18n/member-strings';
import { useT } from '../i18n/use-t';
import { useCartStore } from '../state/cart-store';

/**
 * The order's member (会员): name, masked phone and tier once identified (a member card scanned
 * anywhere, or the phone typed here — F10 puts the cursor in the field). The member can be
 * changed only while the order is built: vouchers are judged on the tier.
 */
export function MemberPanel() {
  const t = useT();
  const member = useCartStore((s) => s.member);
  const stage = useCartStore((s) => s.stage);
  const setMember = useCartStore((s) => s.setMember);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'F10') return;
      event.preventDefault();
      input.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (busy || text.trim() === '') return;
    setBusy(true);
    void identifyMemberByPhone(text).then((found) => {
      setBusy(false);
      if (found) setText('');
    });
  };

  if (member !== null) {
    const key = tierKey(member.tier);
    return (
      <div className="member" data-testid="cart-member" data-member={member.id}>
        <span className="member-badge">{t('member')}</span>
        <b data-testid="member-name">{member.name}</b>
        <span data-testid="member-phone">{maskPhone(member.phone)}</span>
        <span className="member-tier" data-testid="member-tier" data-tier={member.tier}>
          {key === null ? member.tier : t(key)}
        </span>
        {stage === 'building' && (
          <button
            type="button"
            className="link"
            data-testid="member-remove"
            onClick={() => setMember(null)}
          >
            {t('memberRemove')}
          </button>
        )}
      </div>
    );
  }
  if (stage !== 'building') return null;
  return (
    <form className="member-entry" onSubmit={submit}>
      <input
        ref={input}
        aria-label={t('memberPhoneInput')}
        placeholder={t('memberPhoneHint')}
        data-testid="member-phone-input"
        inputMode="numeric"
        autoComplete="off"
        maxLength={16}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="secondary" disabled={busy} data-testid="member-find">
        {busy ? t('memberFinding') : t('memberFind')}
      </button>
      <kbd className="member-key">F10</kbd>
    </form>
  );
}
