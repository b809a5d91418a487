import type { Sku, StoreGroupId, StoreId, TerminalId } from '../ids';

/**
 * How messages name things the reason only carries ids for. Screens pass
 * look-ups over their catalog; without one the id itself is shown.
 */
export interface MessageOptions {
  /** IANA zone in which instants are shown; default Asia/Shanghai. */
  readonly timeZone?: string;
  readonly storeName?: (id: StoreId) => string | undefined;
  readonly storeGroupName?: (id: StoreGroupId) => string | undefined;
  readonly productName?: (sku: Sku) => string | undefined;
  /** The till showing the message: a code it redeemed itself is told as "this till". */
  readonly terminalId?: TerminalId;
  readonly terminalName?: (id: TerminalId) => string | undefined;
}

export const storeLabel = (id: StoreId, o: MessageOptions): string => o.storeName?.(id) ?? id;
export const groupLabel = (id: StoreGroupId, o: MessageOptions): string =>
  o.storeGroupName?.(id) ?? id;
export const productLabel = (sku: Sku, o: MessageOptions): string => o.productName?.(sku) ?? sku;
export const terminalLabel = (
  id: TerminalId,
  named: string | undefined,
  o: MessageOptions,
): string => named ?? o.terminalName?.(id) ?? id;
