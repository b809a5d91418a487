import { reasonMessage } from '../../core/messages/reasons';
import type { Reason } from '../../core/reasons';
import { useNamesStore } from '../state/names-store';
import { useSessionStore } from '../state/session-store';

/** A refusal in words, in the cashier's language and the store's time zone, naming stores. */
export function ReasonText({ reason }: { readonly reason: Reason }) {
  const locale = useSessionStore((s) => s.locale);
  const timeZone = useSessionStore((s) => s.terminal?.store.timeZone ?? 'Asia/Shanghai');
  const stores = useNamesStore((s) => s.stores);
  const groups = useNamesStore((s) => s.groups);
  const products = useNamesStore((s) => s.products);
  return (
    <span data-reason={reason.code}>
      {reasonMessage(reason, locale, {
        timeZone,
        storeName: (id) => stores.get(id),
        storeGroupName: (id) => groups.get(id),
        productName: (sku) => products.get(sku),
      })}
    </span>
  );
}
