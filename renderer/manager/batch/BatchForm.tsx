import { formatMinuteOfDay } from '../../../core/time';
import type { StoresPage } from '../../../core/protocol/index';
import { useT } from '../app/api';
import { benefitOfKind, dateOf, endOfDate, listOf, startOfDate, type Draft } from './draft';
import { CountInput, errorAt, Field, MoneyInput } from './inputs';
import type { FieldErrors } from './issues';
import { StorePicker } from './StorePicker';

const KINDS = ['cash', 'threshold', 'discount', 'gift', 'group_buy', 'general'] as const;
const STACKING = ['exclusive', 'other_kinds', 'any'] as const;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const WEEKDAY_NAMES = {
  zh: ['一', '二', '三', '四', '五', '六', '日'],
  en: ['M', 'T', 'W', 'T', 'F', 'S', 'S'],
};

const minuteOf = (text: string): number => {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
};

/** Every rule the core knows, one section each; each field shows its problem beside it. */
export function BatchForm(props: {
  readonly draft: Draft;
  readonly onChange: (draft: Draft) => void;
  readonly errors: FieldErrors;
  readonly isNew: boolean;
  readonly readOnly: boolean;
  readonly stores: StoresPage | null;
  readonly locale: 'zh-CN' | 'en';
}) {
  const t = useT();
  const { draft, errors } = props;
  const set = (patch: Partial<Draft>) => props.onChange({ ...draft, ...patch });
  const err = (path: string) => errorAt(errors, path);
  const b = draft.benefit;
  const v = draft.validity;
  return (
    <fieldset className="batch-form" disabled={props.readOnly}>
      <section>
        <h2>{t('sectionBenefit')}</h2>
        <div className="row">
          <Field label={t('batchId')} error={err('id')} help={t('batchIdHelp')}>
            <input
              name="id"
              value={draft.id}
              disabled={!props.isNew}
              onChange={(e) => set({ id: e.target.value.trim() })}
            />
          </Field>
          <Field label={t('batchName')} error={err('name')}>
            <input name="name" value={draft.name} onChange={(e) => set({ name: e.target.value })} />
          </Field>
        </div>
        <div className="row">
          <Field label={t('kind')}>
            <select
              name="kind"
              value={b.kind}
              onChange={(e) =>
                set({ benefit: benefitOfKind(e.target.value as (typeof KINDS)[number], b) })
              }
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind_${k}`)}
                </option>
              ))}
            </select>
          </Field>
          {b.kind === 'threshold' && (
            <MoneyInput
              key={`${b.kind}-t`}
              label={t('thresholdYuan')}
              fen={b.thresholdFen}
              error={err('benefit.thresholdFen')}
              onChange={(f) => set({ benefit: { ...b, thresholdFen: f ?? Number.NaN } })}
            />
          )}
          {(b.kind === 'cash' || b.kind === 'general' || b.kind === 'threshold') && (
            <MoneyInput
              key={`${b.kind}-v`}
              label={t('valueYuan')}
              fen={b.valueFen}
              error={err('benefit.valueFen')}
              onChange={(f) => set({ benefit: { ...b, valueFen: f ?? Number.NaN } })}
            />
          )}
          {b.kind === 'discount' && (
            <>
              <Field
                label={t('percentOff')}
                error={err('benefit.percentOffBp')}
                help={t('percentOffHelp')}
              >
                <input
                  name="percentOff"
                  inputMode="decimal"
                  defaultValue={String(b.percentOffBp / 100)}
                  onChange={(e) => {
                    const text = e.target.value.trim();
                    const bp = /^\d+(\.\d{1,2})?$/.test(text)
                      ? Math.round(Number(text) * 100)
                      : Number.NaN;
                    set({ benefit: { ...b, percentOffBp: bp } });
                  }}
                />
              </Field>
              <MoneyInput
                label={t('capYuan')}
                fen={b.capFen}
                optional
                error={err('benefit.capFen')}
                onChange={(f) => {
                  const rest = { kind: b.kind, percentOffBp: b.percentOffBp };
                  set({ benefit: f === undefined ? rest : { ...rest, capFen: f } });
                }}
              />
            </>
          )}
          {b.kind === 'gift' && (
            <>
              <Field label={t('giftSku')} error={err('benefit.sku')}>
                <input
                  value={b.sku}
                  onChange={(e) => set({ benefit: { ...b, sku: e.target.value.trim() } })}
                />
              </Field>
              <CountInput
                label={t('quantity')}
                value={b.quantity}
                error={err('benefit.quantity')}
                onChange={(n) => set({ benefit: { ...b, quantity: n ?? Number.NaN } })}
              />
            </>
          )}
          {b.kind === 'group_buy' && (
            <MoneyInput
              label={t('bundlePrice')}
              fen={b.priceFen}
              error={err('benefit.priceFen')}
              onChange={(f) => set({ benefit: { ...b, priceFen: f ?? Number.NaN } })}
            />
          )}
        </div>
        {b.kind === 'group_buy' && (
          <div className="sublist">
            <span className="label">{t('bundleItems')}</span>
            {b.items.map((item, i) => (
              <div className="row" key={i}>
                <Field label={t('sku')} error={err(`benefit.items.${i}.sku`)}>
                  <input
                    value={item.sku}
                    onChange={(e) =>
                      set({
                        benefit: {
                          ...b,
                          items: b.items.map((x, j) =>
                            j === i ? { ...x, sku: e.target.value.trim() } : x,
                          ),
                        },
                      })
                    }
                  />
                </Field>
                <CountInput
                  label={t('quantity')}
                  value={item.quantity}
                  error={err(`benefit.items.${i}.quantity`)}
                  onChange={(n) =>
                    set({
                      benefit: {
                        ...b,
                        items: b.items.map((x, j) =>
                          j === i ? { ...x, quantity: n ?? Number.NaN } : x,
                        ),
                      },
                    })
                  }
                />
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    set({ benefit: { ...b, items: b.items.filter((_, j) => j !== i) } })
                  }
                >
                  {t('remove')}
                </button>
              </div>
            ))}
            {err('benefit.items') && <span className="field-error">{err('benefit.items')}</span>}
            <button
              type="button"
              onClick={() =>
                set({ benefit: { ...b, items: [...b.items, { sku: '', quantity: 1 }] } })
              }
            >
              {t('addItem')}
            </button>
          </div>
        )}
      </section>

      <section>
        <h2>{t('sectionValidity')}</h2>
        <div className="row">
          <Field label={t('validityType')}>
            <select
              name="validityType"
              value={v.type}
              onChange={(e) =>
                set({
                  validity:
                    e.target.value === 'after_claim'
                      ? { type: 'after_claim', days: 30 }
                      : {
                          type: 'fixed',
                          from: startOfDate(dateOf(new Date().toISOString())),
                          until: endOfDate(
                            dateOf(new Date(Date.now() + 30 * 86_400_000).toISOString()),
                          ),
                        },
                })
              }
            >
              <option value="fixed">{t('validityFixed')}</option>
              <option value="after_claim">{t('validityAfterClaim')}</option>
            </select>
          </Field>
          {v.type === 'fixed' && (
            <>
              <Field label={t('validFrom')} error={err('validity.from')}>
                <input
                  type="date"
                  name="validFrom"
                  value={dateOf(v.from)}
                  onChange={(e) =>
                    e.target.value && set({ validity: { ...v, from: startOfDate(e.target.value) } })
                  }
                />
              </Field>
              <Field label={t('validUntil')} error={err('validity.until')}>
                <input
                  type="date"
                  name="validUntil"
                  value={dateOf(new Date(Date.parse(v.until) - 1).toISOString())}
                  onChange={(e) =>
                    e.target.value && set({ validity: { ...v, until: endOfDate(e.target.value) } })
                  }
                />
              </Field>
            </>
          )}
          {v.type === 'after_claim' && (
            <CountInput
              label={t('validDays')}
              value={v.days}
              error={err('validity.days')}
              onChange={(n) => set({ validity: { ...v, days: n ?? Number.NaN } })}
            />
          )}
        </div>
        <div className="sublist">
          <span className="label">{t('windows')}</span>
          {draft.windows.map((w, i) => (
            <div
              className={err(`windows.${i}`) ? 'row window invalid' : 'row window'}
              key={i}
              data-window={i}
            >
              <span className="weekdays">
                {WEEKDAYS.map((d) => (
                  <label key={d} className="day">
                    <input
                      type="checkbox"
                      checked={w.weekdays.includes(d)}
                      onChange={(e) => {
                        const weekdays = e.target.checked
                          ? [...w.weekdays, d].sort()
                          : w.weekdays.filter((x) => x !== d);
                        set({
                          windows: draft.windows.map((x, j) => (j === i ? { ...x, weekdays } : x)),
                        });
                      }}
                    />
                    {WEEKDAY_NAMES[props.locale === 'zh-CN' ? 'zh' : 'en'][d - 1]}
                  </label>
                ))}
              </span>
              {t('from')}
              <input
                type="time"
                aria-label={t('from')}
                value={Number.isFinite(w.startMinute) ? formatMinuteOfDay(w.startMinute) : ''}
                onChange={(e) =>
                  set({
                    windows: draft.windows.map((x, j) =>
                      j === i ? { ...x, startMinute: minuteOf(e.target.value) } : x,
                    ),
                  })
                }
              />
              {t('to')}
              <input
                type="time"
                aria-label={t('to')}
                value={
                  Number.isFinite(w.endMinute) && w.endMinute < 1_440
                    ? formatMinuteOfDay(w.endMinute)
                    : ''
                }
                onChange={(e) =>
                  set({
                    windows: draft.windows.map((x, j) =>
                      j === i ? { ...x, endMinute: minuteOf(e.target.value) || 1_440 } : x,
                    ),
                  })
                }
              />
              <button
                type="button"
                className="link"
                onClick={() => set({ windows: draft.windows.filter((_, j) => j !== i) })}
              >
                {t('remove')}
              </button>
              {err(`windows.${i}`) && <span className="field-error">{err(`windows.${i}`)}</span>}
            </div>
          ))}
          <button
            type="button"
            onClick={() =>
              set({
                windows: [
                  ...draft.windows,
                  { weekdays: [1, 2, 3, 4, 5], startMinute: 600, endMinute: 1_320 },
                ],
              })
            }
          >
            {t('addWindow')}
          </button>
        </div>
      </section>

      <section>
        <h2>{t('sectionScope')}</h2>
        <div className="row">
          <Field label={t('skus')} error={err('items.skus')}>
            <input
              defaultValue={draft.items.skus.join(', ')}
              onChange={(e) => set({ items: { ...draft.items, skus: listOf(e.target.value) } })}
            />
          </Field>
          <Field label={t('categories')} error={err('items.categories')}>
            <input
              defaultValue={draft.items.categories.join(', ')}
              onChange={(e) =>
                set({ items: { ...draft.items, categories: listOf(e.target.value) } })
              }
            />
          </Field>
        </div>
        <div className="row">
          <MoneyInput
            label={t('minSpend')}
            fen={draft.minSpendFen}
            error={err('minSpendFen')}
            onChange={(f) => set({ minSpendFen: f ?? Number.NaN })}
          />
          <Field label={t('memberTiers')} error={err('memberTiers')}>
            <input
              defaultValue={draft.memberTiers.join(', ')}
              onChange={(e) => set({ memberTiers: listOf(e.target.value) })}
            />
          </Field>
        </div>
      </section>

      <section>
        <h2>{t('sectionStores')}</h2>
        <StorePicker
          scope={draft.stores}
          stores={props.stores}
          error={err('stores')}
          onChange={(stores) => set({ stores })}
        />
      </section>

      <section>
        <h2>{t('sectionStacking')}</h2>
        <div className="row">
          <Field label={t('stacking')}>
            <select
              name="stacking"
              value={draft.stacking}
              onChange={(e) => set({ stacking: e.target.value as Draft['stacking'] })}
            >
              {STACKING.map((s) => (
                <option key={s} value={s}>
                  {t(`stacking_${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.withMemberDiscount}
              onChange={(e) => set({ withMemberDiscount: e.target.checked })}
            />
            {t('withMemberDiscount')}
          </label>
        </div>
        <div className="row">
          <div className="field">
            <label className="check">
              <input
                type="checkbox"
                name="returnOnRefund"
                checked={draft.returnOnRefund ?? false}
                onChange={(e) => set({ returnOnRefund: e.target.checked })}
              />
              {t('returnOnRefund')}
            </label>
            <span className="help">{t('returnOnRefundHelp')}</span>
          </div>
        </div>
        <div className="row">
          <CountInput
            label={t('perOrderLimit')}
            value={draft.perOrderLimit}
            error={err('perOrderLimit')}
            onChange={(n) => set({ perOrderLimit: n ?? Number.NaN })}
          />
          <CountInput
            label={t('perCustomerDailyLimit')}
            nullable
            value={draft.perCustomerDailyLimit}
            error={err('perCustomerDailyLimit')}
            onChange={(n) => set({ perCustomerDailyLimit: n })}
          />
          <CountInput
            label={t('dailyCap')}
            nullable
            value={draft.dailyCap}
            error={err('dailyCap')}
            onChange={(n) => set({ dailyCap: n })}
          />
        </div>
      </section>
    </fieldset>
  );
}
