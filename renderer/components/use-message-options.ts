import type { TerminalId } from '../../core/ids';
import type { MessageOptions } from '../../core/messages/names';
import type { Winner } from '../../core/protocol/index';
import { useNamesStore } from '../state/names-store';
import { useSessionStore } from '../state/session-store';

/**
 * How this till names things in messages: the store's time zone, store, region and product names
 * from the cached catalog, and tills by name — this one as "this till", itself by its own name.
 */
export function useMessageOptions(): MessageOptions {
  const terminal = useSessionStore((s) => s.terminal);
  const stores = useNamesStore((s) => s.stores);
  const groups = useNamesStore((s) => s.groups);
  const products = useNamesStore((s) => s.products);
  return {
    timeZone: terminal?.store.timeZone ?? 'Asia/Shanghai',
    storeName: (id) => stores.get(id),
    storeGroupName: (id) => groups.get(id),
    productName: (sku) => products.get(sku),
    ...(terminal ? { terminalId: terminal.terminalId } : {}),
    terminalName: (id: TerminalId) => (id === terminal?.terminalId ? terminal.name : undefined),
  };
}

/** The till that won a conflict, by the name its store gives it (its id only when unknown). */
export function winnerTill(winner: Winner, options: MessageOptions): string {
  return winner.terminalName ?? options.terminalName?.(winner.terminalId) ?? winner.terminalId;
}
