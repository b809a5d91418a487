import { useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { MemberTier, type ClientId } from '../../../core/ids';
import { MemberCard, phoneOf } from '../../../core/members';
import type { MemberDetail } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import { tierChoices, tierText } from './tiers';

interface Draft {
  readonly phone: string;
  readonly name: string;
  readonly tier: string;
  readonly card: string;
}
type FieldErrors = Partial<Record<keyof Draft, string>>;

/**
 * Adds a member (a chain manager's). The request id is made when the form opens, so a save
 * retried after a lost answer is answered with the member it made, not a second one.
 */
export function MemberForm({
  onSaved,
  onCancel,
}: {
  readonly onSaved: (m: MemberDetail) => void;
  readonly onCancel: () => void;
}) {
  const t = useT();
  const failureText = useFailureText();
  const [requestId] = useState(() => uuidv7() as ClientId);
  const [draft, setDraft] = useState<Draft>({ phone: '', name: '', tier: 'silver', card: '' });
  const [shown, setShown] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    const errors: FieldErrors = {};
    const phone = phoneOf(draft.phone);
    if (phone === null) errors.phone = t('memberBadPhone');
    const name = draft.name.trim();
    if (name === '' || name.length > 64) errors.name = t('memberFix_bad_name');
    const tier = MemberTier.safeParse(draft.tier.trim());
    if (!tier.success) errors.tier = t('memberBadTier');
    const card = draft.card.trim().toUpperCase();
    if (card !== '' && !MemberCard.safeParse(card).success) errors.card = t('memberBadCard');
    setShown(errors);
    if (phone === null || !tier.success || Object.keys(errors).length > 0) return;
    setBusy(true);
    const r = await api.call('addMember', {
      body: { phone, name, tier: tier.data, requestId, ...(card ? { card } : {}) },
    });
    setBusy(false);
    if (!r.ok) return setError(failureText(r));
    setError(null);
    onSaved(r.value);
  }

  const field = (key: keyof Draft, label: string, help?: string) => (
    <label className="field">
      <span className="label">{label}</span>
      <input
        name={`member-${key}`}
        value={draft[key]}
        list={key === 'tier' ? 'member-tier-choices' : undefined}
        inputMode={key === 'phone' ? 'tel' : undefined}
        aria-invalid={shown[key] ? true : undefined}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
      {shown[key] ? (
        <span className="field-error">{shown[key]}</span>
      ) : (
        help && <span className="help">{help}</span>
      )}
    </label>
  );

  return (
    <form
      className="card member-form"
      aria-label={t('memberFormTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{t('memberFormTitle')}</h2>
      <div className="row">
        {field('phone', t('memberPhone'))}
        {field('name', t('memberName'))}
        {field('tier', t('tier'))}
        {field('card', t('memberCard'))}
      </div>
      <datalist id="member-tier-choices">
        {tierChoices([]).map((tier) => (
          <option key={tier} value={tier}>
            {tierText(tier, t)}
          </option>
        ))}
      </datalist>
      <p className="help">
        {t('memberTierHelp')} {t('memberCardHelp')}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button className="primary" type="submit" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
