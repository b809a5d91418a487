import { useSearchParams } from 'react-router';
import { useT } from '../app/api';
import { useConsoleSession } from '../app/session';
import { useStores } from '../app/stores';
import { TerminalsPanel } from '../staff/TerminalsPanel';
import { UsersPanel } from '../staff/UsersPanel';

/**
 * Staff and tills of one store (the store in the URL). A store manager sees their own store only;
 * a chain manager picks a store, or the whole chain.
 */
export function StaffScreen() {
  const t = useT();
  const user = useConsoleSession((s) => s.session?.user);
  const [params, setParams] = useSearchParams();
  const [stores] = useStores();
  const chain = user?.role === 'chain_manager';
  const list = stores.state === 'ready' ? stores.value.stores : [];
  const storeId = chain ? (params.get('store') ?? list[0]?.id ?? null) : (user?.storeId ?? null);
  const choose = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('store', id);
    setParams(next);
  };
  return (
    <section>
      <div className="title-row">
        <h1>{t('staffTitle')}</h1>
        {chain && (
          <label className="field inline">
            <span className="label">{t('colStore')}</span>
            <select
              name="staffStore"
              value={storeId ?? ''}
              onChange={(e) => choose(e.target.value)}
            >
              <option value="">{t('wholeChain')}</option>
              {list.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.id})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!chain && <p className="help">{t('staffOwnStore', { store: storeId ?? '' })}</p>}
      {(chain && stores.state === 'loading') || (
        <>
          <UsersPanel key={`u:${storeId ?? ''}`} storeId={storeId || null} />
          <TerminalsPanel key={`t:${storeId ?? ''}`} storeId={storeId || null} />
        </>
      )}
    </section>
  );
}
