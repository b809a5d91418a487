import { create } from 'zustand';

/** Names of stores, regions and products from the cached catalog, for messages that carry ids. */
interface NamesSlice {
  readonly stores: ReadonlyMap<string, string>;
  readonly groups: ReadonlyMap<string, string>;
  readonly products: ReadonlyMap<string, string>;
  readonly set: (names: Omit<NamesSlice, 'set'>) => void;
}

export const useNamesStore = create<NamesSlice>()((set) => ({
  stores: new Map(),
  groups: new Map(),
  products: new Map(),
  set: (names) => set(names),
}));
