import { liveQuery } from 'dexie';
import { useEffect } from 'react';
import { useNamesStore } from '../state/names-store';
import { base } from './services';

/** Keeps the names store in step with the cached catalog (in any tab). */
export function useCatalogNames(): void {
  useEffect(() => {
    const subscription = liveQuery(async () => {
      const [stores, groups, products] = await Promise.all([
        base.db.stores.toArray(),
        base.db.storeGroups.toArray(),
        base.db.products.toArray(),
      ]);
      return {
        stores: new Map(stores.map((s) => [s.id as string, s.name])),
        groups: new Map(groups.map((g) => [g.id as string, g.name])),
        products: new Map(products.map((p) => [p.sku as string, p.name])),
      };
    }).subscribe({
      next: (names) => useNamesStore.getState().set(names),
      error: (error: unknown) => base.storage.report(error),
    });
    return () => subscription.unsubscribe();
  }, []);
}
