import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { money } from '../../../core/messages/format';
import type { Product, ProductsQuery } from '../../../core/protocol/index';
import { api, useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import { useLoad } from '../app/use-load';
import { draftOf, EMPTY_DRAFT, ProductForm, type ProductDraft } from '../products/ProductForm';
import { ProductImport } from '../products/ProductImport';

/**
 * The product catalog: search and the page cursor in the URL. A chain manager adds and edits
 * products (the tills get each change on the feed) and imports a CSV, all or nothing.
 */
export function ProductsScreen() {
  const t = useT();
  const chain = useIsChainManager();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<{ draft: ProductDraft; editing: boolean; key: number } | null>(
    null,
  );
  const [saved, setSaved] = useState<Product | null>(null);
  const query: ProductsQuery = {
    limit: 100,
    ...(params.get('q') ? { q: params.get('q') ?? '' } : {}),
    ...(params.get('after') ? { after: params.get('after') ?? '' } : {}),
  };
  const [loaded, reload] = useLoad(JSON.stringify(query), () => api.call('products', { query }));
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    if (name !== 'after') next.delete('after');
    setParams(next);
  };
  const open = (draft: ProductDraft, editing: boolean) => {
    setSaved(null);
    setForm({ draft, editing, key: Date.now() });
  };

  return (
    <section>
      <div className="title-row">
        <h1>{t('productsTitle')}</h1>
        {chain && (
          <button className="primary" onClick={() => open(EMPTY_DRAFT, false)}>
            {t('productAdd')}
          </button>
        )}
      </div>
      {!chain && <p className="help">{t('productsReadOnly')}</p>}
      {form && (
        <ProductForm
          key={form.key}
          initial={form.draft}
          editing={form.editing}
          onCancel={() => setForm(null)}
          onSaved={(p) => {
            setForm(null);
            setSaved(p);
            reload();
          }}
        />
      )}
      {saved && (
        <p className="notice ok" role="status">
          {t('productSaved', { sku: saved.sku, name: saved.name })}
        </p>
      )}
      <div className="filters">
        <input
          type="search"
          aria-label={t('productSearch')}
          placeholder={t('productSearch')}
          defaultValue={params.get('q') ?? ''}
          onKeyDown={(e) => {
            if (e.key === 'Enter') set('q', e.currentTarget.value.trim());
          }}
        />
      </div>
      {loaded.state === 'loading' && <p>{t('loading')}</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && (
        <>
          <table className="grid" data-testid="products">
            <thead>
              <tr>
                <th>{t('sku')}</th>
                <th>{t('itemName')}</th>
                <th>{t('category')}</th>
                <th className="num">{t('price')}</th>
                <th>{t('barcodes')}</th>
                {chain && <th>{t('colActions')}</th>}
              </tr>
            </thead>
            <tbody>
              {loaded.value.products.map((p) => (
                <tr key={p.sku} data-sku={p.sku}>
                  <td className="id">{p.sku}</td>
                  <td>{p.name}</td>
                  <td>{p.category}</td>
                  <td className="num">{money(p.priceFen)}</td>
                  <td className="sub">{p.barcodes.join(' ')}</td>
                  {chain && (
                    <td className="actions">
                      <button className="link" onClick={() => open(draftOf(p), true)}>
                        {t('edit')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {loaded.value.products.length === 0 && <p className="empty">{t('noProducts')}</p>}
          <div className="pager">
            {params.get('after') && (
              <button onClick={() => set('after', '')}>{t('firstPage')}</button>
            )}
            {loaded.value.next && (
              <button onClick={() => set('after', loaded.value.next ?? '')}>{t('nextPage')}</button>
            )}
          </div>
        </>
      )}
      {chain && <ProductImport onImported={reload} />}
    </section>
  );
}
