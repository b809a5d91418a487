import { useState } from 'react';
import { ReportThresholds } from '../../../core/reports/alerts';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { fieldErrors } from '../batch/issues';
import { Field } from '../batch/inputs';

const CYCLE_CHOICES = [0, 1, 2, 3, 7] as const;
type PercentField = 'lowRedemptionRateBp' | 'lowClaimConversionBp' | 'healthyClaimConversionBp';

/** "5" or "12.5" (a percentage up to 100, two decimals at most) in basis points; else NaN. */
export function percentToBp(text: string): number {
  const s = text.trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(s)) return Number.NaN;
  const bp = Math.round(Number(s) * 100);
  return bp <= 10_000 ? bp : Number.NaN;
}
const bpToPercent = (bp: number): string => String(bp / 100);

/**
 * The chain's alert thresholds, checked by the core's schema as they are typed (its problems
 * said in words under each field); only a chain manager may save them, so a store manager
 * sees them read-only.
 */
export function ThresholdsForm(props: {
  readonly current: ReportThresholds;
  readonly canEdit: boolean;
  readonly onSaved: () => void;
  /** A field changed after a save. */
  readonly onEdit: () => void;
}) {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const failureText = useFailureText();
  const [text, setText] = useState<Record<PercentField, string>>({
    lowRedemptionRateBp: bpToPercent(props.current.lowRedemptionRateBp),
    lowClaimConversionBp: bpToPercent(props.current.lowClaimConversionBp),
    healthyClaimConversionBp: bpToPercent(props.current.healthyClaimConversionBp),
  });
  const [days, setDays] = useState(String(props.current.lowRedemptionDays));
  const [cycle, setCycle] = useState<number>(props.current.longCycleDays);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const draft = {
    lowRedemptionRateBp: percentToBp(text.lowRedemptionRateBp),
    lowRedemptionDays: /^\d{1,3}$/.test(days.trim()) ? Number(days.trim()) : Number.NaN,
    longCycleDays: cycle,
    lowClaimConversionBp: percentToBp(text.lowClaimConversionBp),
    healthyClaimConversionBp: percentToBp(text.healthyClaimConversionBp),
  };
  const parsed = ReportThresholds.safeParse(draft);
  const errors = new Map(parsed.success ? [] : fieldErrors(parsed.error, locale));
  for (const key of Object.keys(text) as PercentField[])
    if (Number.isNaN(draft[key])) errors.set(key, t('thrPercent'));
  if (Number.isNaN(draft.lowRedemptionDays)) errors.set('lowRedemptionDays', t('thrWhole'));
  if (
    !errors.has('healthyClaimConversionBp') &&
    draft.healthyClaimConversionBp < draft.lowClaimConversionBp
  )
    errors.set('healthyClaimConversionBp', t('thrOrder'));

  async function save() {
    if (!parsed.success || errors.size > 0) return setNotice({ ok: false, text: t('fixErrors') });
    setSaving(true);
    const r = await api.call('setAlertThresholds', { body: parsed.data });
    setSaving(false);
    if (!r.ok) return setNotice({ ok: false, text: failureText(r) });
    props.onSaved();
  }

  const percent = (key: PercentField, label: string) => (
    <Field label={label} error={errors.get(key)}>
      <input
        name={key}
        inputMode="decimal"
        disabled={!props.canEdit}
        value={text[key]}
        onChange={(e) => {
          setNotice(null);
          props.onEdit();
          setText({ ...text, [key]: e.target.value });
        }}
      />
    </Field>
  );
  return (
    <section className="card thresholds" data-testid="thresholds">
      <h2>{t('thresholdsTitle')}</h2>
      <p className="help">{t('thresholdsHelp')}</p>
      <div className="threshold-grid">
        {percent('lowRedemptionRateBp', t('thrLowRate'))}
        <Field label={t('thrLowDays')} error={errors.get('lowRedemptionDays')}>
          <input
            name="lowRedemptionDays"
            inputMode="numeric"
            disabled={!props.canEdit}
            value={days}
            onChange={(e) => {
              setNotice(null);
              props.onEdit();
              setDays(e.target.value);
            }}
          />
        </Field>
        <Field label={t('thrLongCycle')} error={errors.get('longCycleDays')}>
          <select
            name="longCycleDays"
            disabled={!props.canEdit}
            value={cycle}
            onChange={(e) => setCycle(Number(e.target.value))}
          >
            {CYCLE_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </Field>
        {percent('lowClaimConversionBp', t('thrLowConversion'))}
        {percent('healthyClaimConversionBp', t('thrHealthyConversion'))}
      </div>
      {notice && (
        <p className={`notice ${notice.ok ? 'ok' : 'error'}`} role="status">
          {notice.text}
        </p>
      )}
      {props.canEdit && (
        <div className="buttons">
          <button className="primary" disabled={saving} onClick={() => void save()}>
            {t('thrSave')}
          </button>
        </div>
      )}
    </section>
  );
}
