import type { StoresPage } from '../../../core/protocol/index';
import { useT } from '../app/api';
import { useIsChainManager } from '../app/session';
import type { AuditFilterName, AuditFilters } from './filters';

/**
 * Actor, kind, store and days of the audit log. The text fields apply on Enter or "Filter"
 * (not on every key); the store and the days at once. Everything lands in the URL.
 */
export function AuditFilterBar(props: {
  readonly filters: AuditFilters;
  readonly set: (changes: Partial<Record<AuditFilterName, string>>) => void;
  readonly stores: StoresPage | null;
  /** Kinds seen on the loaded pages, offered as suggestions. */
  readonly actions: readonly string[];
}) {
  const t = useT();
  const chain = useIsChainManager();
  const { filters, set } = props;
  // A change of store or day also takes what is typed in the text fields, unsent as it may be.
  const apply = (
    form: HTMLFormElement | null,
    changes: Partial<Record<AuditFilterName, string>> = {},
  ) => {
    const data = form ? new FormData(form) : null;
    set({
      actor: String(data?.get('actor') ?? filters.actor),
      action: String(data?.get('action') ?? filters.action),
      ...changes,
    });
  };
  const any =
    filters.actor !== '' ||
    filters.action !== '' ||
    filters.storeId !== null ||
    filters.from !== null ||
    filters.to !== null;
  return (
    <form
      className="filters report-filters"
      data-testid="audit-filters"
      // A fresh form whenever the URL changes (a clicked actor, a cleared filter): its fields
      // start from the URL again.
      key={JSON.stringify(filters)}
      onSubmit={(e) => {
        e.preventDefault();
        apply(e.currentTarget);
      }}
    >
      <label>
        {t('actor')}
        <input name="actor" defaultValue={filters.actor} placeholder={t('auditAnyActor')} />
      </label>
      <label>
        {t('auditKind')}
        <input
          name="action"
          list="audit-actions"
          defaultValue={filters.action}
          placeholder={t('auditAnyKind')}
        />
        <datalist id="audit-actions">
          {props.actions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      {chain && (
        <label>
          {t('repStore')}
          <select
            name="store"
            value={filters.storeId ?? ''}
            onChange={(e) => apply(e.target.form, { store: e.target.value })}
          >
            <option value="">{t('repAllStores')}</option>
            {props.stores?.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('repFrom')}
        <input
          type="date"
          name="from"
          value={filters.from ?? ''}
          max={filters.to ?? undefined}
          onChange={(e) => apply(e.target.form, { from: e.target.value })}
        />
      </label>
      <label>
        {t('repTo')}
        <input
          type="date"
          name="to"
          value={filters.to ?? ''}
          min={filters.from ?? undefined}
          onChange={(e) => apply(e.target.form, { to: e.target.value })}
        />
      </label>
      <button type="submit">{t('auditFilter')}</button>
      {any && (
        <button
          type="button"
          className="link"
          onClick={() => set({ actor: '', action: '', store: '', from: '', to: '' })}
        >
          {t('auditClear')}
        </button>
      )}
    </form>
  );
}
