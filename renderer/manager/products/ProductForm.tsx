import { useState } from 'react';
import { parseYuan } from '../../../core/money';
import { Product } from '../../../core/protocol/index';
import { api, useFailureText, useT } from '../app/api';
import type { T } from '../i18n/strings';

export interface ProductDraft {
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly price: string;
  readonly barcodes: string;
}

export const EMPTY_DRAFT: ProductDraft = {
  sku: '',
  name: '',
  category: '',
  price: '',
  barcodes: '',
};

/** A product as the form edits it: the price in yuan, the barcodes in one line. */
export function draftOf(p: Product): ProductDraft {
  return {
    sku: p.sku,
    name: p.name,
    category: p.category,
    price: (p.priceFen / 100).toFixed(2),
    barcodes: p.barcodes.join(' '),
  };
}

type FieldErrors = Partial<Record<keyof ProductDraft, string>>;

/** What to do about a wrong field: the words the CSV import's report uses for the same cell. */
const FIX: Record<keyof ProductDraft, Parameters<T>[0]> = {
  sku: 'productFix_bad_sku',
  name: 'productFix_bad_name',
  category: 'productFix_bad_category',
  price: 'productFix_bad_price',
  barcodes: 'productFix_bad_barcode',
};

/** The draft checked with the core's Product schema; each problem named beside its field. */
function check(d: ProductDraft, t: T): { product: Product | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const price = parseYuan(d.price);
  if (!price.ok) errors.price = t(FIX.price);
  const parsed = Product.safeParse({
    sku: d.sku.trim(),
    name: d.name.trim(),
    category: d.category.trim(),
    priceFen: price.ok ? price.value : 0,
    barcodes: d.barcodes.split(/[\s,|]+/).filter((b) => b !== ''),
  });
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      const field = (key === 'priceFen' ? 'price' : key) as keyof ProductDraft;
      errors[field] ??= t(FIX[field]);
    }
  return { product: parsed.success && price.ok ? parsed.data : null, errors };
}

/** Adds a product or edits one (the SKU stays); a save is a whole upsert, audited. */
export function ProductForm({
  initial,
  editing,
  onSaved,
  onCancel,
}: {
  readonly initial: ProductDraft;
  readonly editing: boolean;
  readonly onSaved: (p: Product) => void;
  readonly onCancel: () => void;
}) {
  const t = useT();
  const failureText = useFailureText();
  const [draft, setDraft] = useState(initial);
  const [shown, setShown] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    const { product, errors } = check(draft, t);
    setShown(errors);
    if (!product) return;
    setBusy(true);
    const r = await api.call('upsertProduct', { body: product });
    setBusy(false);
    if (!r.ok) return setError(failureText(r));
    setError(null);
    onSaved(r.value);
  }

  const field = (key: keyof ProductDraft, label: string, help?: string) => (
    <label className="field">
      <span className="label">{label}</span>
      <input
        name={key}
        value={draft[key]}
        disabled={key === 'sku' && editing}
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
      className="card product-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{editing ? t('productEdit', { sku: draft.sku }) : t('productAdd')}</h2>
      <div className="row">
        {field('sku', t('sku'))}
        {field('name', t('itemName'))}
        {field('category', t('category'))}
        {field('price', t('unitPrice'))}
      </div>
      {field('barcodes', t('barcodes'), t('barcodesHelp'))}
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
