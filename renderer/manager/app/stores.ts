import type { StoresPage } from '../../../core/protocol/index';
import { api } from './api';
import { useLoad, type Loaded } from './use-load';

/**
 * The stores and regions the screens name things by: the first page of 1,000 (a chain of
 * more pages through the stores screen; the pickers show what this page holds).
 */
export function useStores(): [Loaded<StoresPage>, () => void] {
  return useLoad('stores', () => api.call('stores', { query: { limit: 1_000 } }));
}

/** A store's name by id, the id itself when unknown. */
export function storeNamer(page: StoresPage | null): (id: string) => string {
  const names = new Map(page?.stores.map((s) => [s.id as string, s.name]) ?? []);
  return (id) => names.get(id) ?? id;
}

export function groupNamer(page: StoresPage | null): (id: string) => string {
  const names = new Map(page?.groups.map((g) => [g.id as string, g.name]) ?? []);
  return (id) => names.get(id) ?? id;
}
