import type { StoresPage } from '../../../core/protocol/index';
import { useT } from '../app/api';
import type { Draft } from './draft';

type Scope = Draft['stores'];

/** The stores a scope reaches: the listed ones and every member of a listed group. */
export function storesReached(scope: Scope, page: StoresPage | null): number {
  const all = page?.stores ?? [];
  if (scope.type === 'all') return all.length;
  return all.filter(
    (s) => scope.storeIds.includes(s.id) || s.groupIds.some((g) => scope.groupIds.includes(g)),
  ).length;
}

/**
 * Cross-store rules: every store, or chosen regions and stores, picked from the stores listed
 * under their regions, with the count of stores the choice reaches.
 */
export function StorePicker(props: {
  readonly scope: Scope;
  readonly stores: StoresPage | null;
  readonly error: string | undefined;
  readonly onChange: (scope: Scope) => void;
}) {
  const t = useT();
  const { scope } = props;
  const page = props.stores;
  const listed =
    scope.type === 'listed' ? scope : { type: 'listed' as const, storeIds: [], groupIds: [] };
  const toggle = (field: 'storeIds' | 'groupIds', id: string, on: boolean) => {
    const ids = listed[field].filter((x) => x !== id);
    props.onChange({ ...listed, [field]: on ? [...ids, id] : ids });
  };
  const regions = [
    ...(page?.groups ?? []).map((g) => ({ id: g.id as string | null, name: g.name })),
    { id: null, name: t('noGroup') },
  ];
  return (
    <div className={props.error ? 'store-picker invalid' : 'store-picker'}>
      <div className="row">
        <label className="check">
          <input
            type="radio"
            name="storeScope"
            checked={scope.type === 'all'}
            onChange={() => props.onChange({ type: 'all' })}
          />
          {t('storeScopeAll')}
        </label>
        <label className="check">
          <input
            type="radio"
            name="storeScope"
            checked={scope.type === 'listed'}
            onChange={() => props.onChange(listed)}
          />
          {t('storeScopeListed')}
        </label>
        <strong className="reach" data-testid="reach">
          {t('reaches', { n: storesReached(scope, page), total: page?.stores.length ?? 0 })}
        </strong>
      </div>
      {scope.type === 'listed' && (
        <div className="regions">
          {regions.map((r) => {
            const members = (page?.stores ?? []).filter((s) =>
              r.id === null ? s.groupIds.length === 0 : s.groupIds.includes(r.id as never),
            );
            if (r.id === null && members.length === 0) return null;
            const groupOn = r.id !== null && scope.groupIds.includes(r.id as never);
            return (
              <div className="region" key={r.id ?? '-'}>
                <label className="check region-name">
                  {r.id !== null && (
                    <input
                      type="checkbox"
                      checked={groupOn}
                      onChange={(e) => toggle('groupIds', r.id ?? '', e.target.checked)}
                    />
                  )}
                  <strong>{r.name}</strong>
                  {r.id !== null && <span className="sub"> ({t('wholeGroup')})</span>}
                </label>
                <div className="members">
                  {members.map((s) => (
                    <label className="check" key={s.id}>
                      <input
                        type="checkbox"
                        checked={groupOn || scope.storeIds.includes(s.id)}
                        disabled={groupOn}
                        onChange={(e) => toggle('storeIds', s.id, e.target.checked)}
                      />
                      {s.name}
                    </label>
                  ))}
                </div>
              </div>
            );
          })}
        </div>
      )}
      {props.error && <span className="field-error">{props.error}</span>}
    </div>
  );
}
