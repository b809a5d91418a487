import { useMemo, useState } from 'react';
import { reasonMessage } from '../../../core/messages';
import { money } from '../../../core/messages/format';
import { parseYuan } from '../../../core/money';
import type { BatchRow, StoresPage } from '../../../core/protocol/index';
import { evaluate } from '../../../core/rules';
import { conflicts } from '../../../core/rules/stacking';
import type { Batch, Candidate, Cart, EvaluationContext } from '../../../core/vouchers';
import { Cart as CartSchema } from '../../../core/vouchers';
import { DEFAULT_TIME_ZONE } from '../../../core/time';
import { useT } from '../app/api';

interface Line {
  readonly sku: string;
  readonly category: string;
  readonly name: string;
  readonly price: string;
  readonly quantity: string;
}

const candidate = (batch: Batch, code: string, now: string): Candidate => ({
  code: code as Candidate['code'],
  batch,
  claimedAt: now,
  redeemed: null,
});

/**
 * The live preview: the core `evaluate` on an editable sample cart at a chosen store and time,
 * saying what the voucher gives or why it is refused; and which active batches it can share
 * an order with (the core's stacking rule, where some store redeems both).
 */
export function Preview(props: {
  readonly batch: Batch | null;
  readonly stores: StoresPage | null;
  readonly active: readonly BatchRow[];
  readonly locale: 'zh-CN' | 'en';
}) {
  const t = useT();
  const [lines, setLines] = useState<Line[]>([
    { sku: 'sample-1', category: 'food', name: 'Sample', price: '90.00', quantity: '1' },
  ]);
  const [storeId, setStoreId] = useState<string>('');
  const [at, setAt] = useState<string>(() =>
    new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16),
  );
  const [tier, setTier] = useState('');
  const [memberDiscount, setMemberDiscount] = useState(false);
  const all = props.stores?.stores ?? [];
  // Until one is chosen, a store the batch reaches: the preview's first question is the rules.
  const store =
    all.find((s) => s.id === storeId) ??
    all.find((s) => props.batch !== null && reaches(props.batch, s)) ??
    all[0] ??
    null;
  const storeName = (id: string) => props.stores?.stores.find((s) => s.id === id)?.name;
  const groupName = (id: string) => props.stores?.groups.find((g) => g.id === id)?.name;

  const cart = useMemo((): Cart | null => {
    const parsed = CartSchema.safeParse({
      lines: lines.map((l, i) => {
        const p = parseYuan(l.price);
        return {
          lineId: `l${i + 1}`,
          sku: l.sku,
          category: l.category,
          name: l.name || l.sku,
          unitPriceFen: p.ok ? p.value : Number.NaN,
          quantity: Number(l.quantity),
        };
      }),
      memberDiscountApplied: memberDiscount,
      memberTier: tier.trim() === '' ? null : tier.trim(),
      customerId: 'preview-customer',
    });
    return parsed.success ? parsed.data : null;
  }, [lines, tier, memberDiscount]);

  const now = Number.isNaN(Date.parse(`${at}:00+08:00`))
    ? new Date().toISOString()
    : new Date(`${at}:00+08:00`).toISOString();
  const context: EvaluationContext | null = store
    ? {
        now,
        storeId: store.id,
        storeGroupIds: store.groupIds,
        timeZone: store.timeZone || DEFAULT_TIME_ZONE,
        usageToday: {},
      }
    : null;
  const result =
    props.batch && cart && context
      ? evaluate(cart, [candidate(props.batch, 'PREVIEW-0001', now)], context)
      : null;
  const subtotal = cart ? cart.lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0) : null;
  const msgOptions = {
    timeZone: context?.timeZone ?? DEFAULT_TIME_ZONE,
    storeName,
    storeGroupName: groupName,
  };

  const stacking = props.batch
    ? props.active
        .filter((r) => r.batch.id !== props.batch?.id)
        .map((r) => {
          const me = candidate(props.batch as Batch, 'A', now);
          const other = candidate(r.batch, 'B', now);
          const why = conflicts(me, other)
            ? r.batch.stacking === 'exclusive' || me.batch.stacking === 'exclusive'
              ? t('whyExclusive')
              : t('whySameKind')
            : sharedStores(me.batch, r.batch, props.stores) === 0
              ? t('whyNoStore')
              : null;
          return { row: r, why };
        })
    : [];

  const setLine = (i: number, patch: Partial<Line>) =>
    setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <aside className="preview" aria-label={t('previewTitle')}>
      <h2>{t('previewTitle')}</h2>
      <p className="help">{t('previewHelp')}</p>
      <div className="row">
        <label className="field">
          <span className="label">{t('previewStore')}</span>
          <select
            aria-label={t('previewStore')}
            value={store?.id ?? ''}
            onChange={(e) => setStoreId(e.target.value)}
          >
            {props.stores?.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="label">{t('previewAt')}</span>
          <input
            type="datetime-local"
            aria-label={t('previewAt')}
            value={at}
            onChange={(e) => setAt(e.target.value)}
          />
        </label>
      </div>
      <table className="cart">
        <caption>{t('sampleCart')}</caption>
        <thead>
          <tr>
            <th>{t('sku')}</th>
            <th>{t('category')}</th>
            <th>{t('unitPrice')}</th>
            <th>{t('quantity')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr key={i}>
              <td>
                <input
                  aria-label={`${t('sku')} ${i + 1}`}
                  value={l.sku}
                  onChange={(e) => setLine(i, { sku: e.target.value.trim() })}
                />
              </td>
              <td>
                <input
                  aria-label={`${t('category')} ${i + 1}`}
                  value={l.category}
                  onChange={(e) => setLine(i, { category: e.target.value.trim() })}
                />
              </td>
              <td>
                <input
                  aria-label={`${t('unitPrice')} ${i + 1}`}
                  inputMode="decimal"
                  value={l.price}
                  onChange={(e) => setLine(i, { price: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`${t('quantity')} ${i + 1}`}
                  inputMode="numeric"
                  value={l.quantity}
                  onChange={(e) => setLine(i, { quantity: e.target.value })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => setLines(lines.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() =>
          setLines([...lines, { sku: '', category: '', name: '', price: '10.00', quantity: '1' }])
        }
      >
        {t('addLine')}
      </button>
      <div className="row">
        <label className="field">
          <span className="label">{t('memberTier')}</span>
          <input value={tier} onChange={(e) => setTier(e.target.value)} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={memberDiscount}
            onChange={(e) => setMemberDiscount(e.target.checked)}
          />
          {t('memberDiscountApplied')}
        </label>
      </div>
      <div className="verdict" data-testid="preview-verdict" role="status">
        {subtotal !== null && (
          <div className="sub">{t('cartTotal', { amount: money(subtotal) })}</div>
        )}
        {!result && <div className="sub">{t('previewInvalid')}</div>}
        {result?.applied[0] && (
          <div className="ok">{t('gives', { amount: money(result.applied[0].discountFen) })}</div>
        )}
        {result?.refused[0] && (
          <div className="refused">
            {t('refusedBecause', {
              reason: reasonMessage(result.refused[0].reason, props.locale, msgOptions),
            })}
          </div>
        )}
      </div>
      <h3>{t('stacksWith')}</h3>
      <ul className="stacks" data-testid="stacks-with">
        {stacking
          .filter((s) => s.why === null)
          .map((s) => (
            <li key={s.row.batch.id} className="ok">
              {s.row.batch.name}
            </li>
          ))}
        {stacking.every((s) => s.why !== null) && <li className="sub">{t('stacksNone')}</li>}
        {stacking
          .filter((s) => s.why !== null)
          .map((s) => (
            <li key={s.row.batch.id} className="no">
              {t('notWith')}: {s.row.batch.name} — {s.why}
            </li>
          ))}
      </ul>
    </aside>
  );
}

type StoreOfPage = StoresPage['stores'][number];

/** Whether a batch may be redeemed at a store (the core's cross-store rule). */
function reaches(batch: Batch, store: StoreOfPage): boolean {
  const scope = batch.stores;
  return (
    scope.type === 'all' ||
    scope.storeIds.includes(store.id) ||
    store.groupIds.some((g) => scope.groupIds.includes(g))
  );
}

/** How many listed stores both batches reach. */
function sharedStores(a: Batch, b: Batch, page: StoresPage | null): number {
  return (page?.stores ?? []).filter((s) => reaches(a, s) && reaches(b, s)).length;
}
