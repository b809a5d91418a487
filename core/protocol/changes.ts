import { z } from 'zod';
import { SafeText } from '../text';
import { BatchId, ClientId, Instant, StoreId, TerminalId, VoucherCode } from '../ids';
import { Batch } from '../vouchers';
import { Product, Store, StoreGroup } from './catalog';
import { OfflineSettings } from './manager';
import { Member } from './members';

/** A code's state as terminals cache it, so offline decisions know what is used or void. */
export const CodeState = z
  .object({
    code: VoucherCode,
    batchId: BatchId,
    state: z.enum(['issued', 'redeemed', 'void']),
    claimedAt: Instant.nullable(),
    redeemed: z
      .object({ at: Instant, storeId: StoreId, terminalId: TerminalId.optional() })
      .strict()
      .nullable(),
    /**
     * On the change that made a code usable again because its sale was refunded: the redemption
     * given back. A till that made that redemption stops counting its own record of it.
     */
    returned: z.object({ redemptionId: ClientId, at: Instant }).strict().optional(),
  })
  .strict();
export type CodeState = z.infer<typeof CodeState>;

/** One entry of the server's ordered change feed. Later entries for the same key replace earlier ones. */
export const Change = z.discriminatedUnion('type', [
  z.object({ type: z.literal('store'), store: Store }).strict(),
  z.object({ type: z.literal('store_group'), group: StoreGroup }).strict(),
  z.object({ type: z.literal('product'), product: Product }).strict(),
  z.object({ type: z.literal('batch'), batch: Batch }).strict(),
  z.object({ type: z.literal('code'), code: CodeState }).strict(),
  /** A store's offline allowance changed: its tills renew their lease to get the new limits. */
  z
    .object({
      type: z.literal('allowance'),
      storeId: StoreId,
      offline: OfflineSettings,
      changedAt: Instant,
    })
    .strict(),
  /** Members reach every till of the chain, for look-ups while the server is out of reach. */
  z.object({ type: z.literal('member'), member: Member }).strict(),
]);
export type Change = z.infer<typeof Change>;

/** Opaque to terminals: they send back what they were given. */
export const Cursor = SafeText.max(64);

export const ChangesQuery = z
  .object({
    since: Cursor.default(''),
    limit: z.coerce.number().int().min(1).max(1_000).default(500),
  })
  .strict();
export type ChangesQuery = z.infer<typeof ChangesQuery>;

/** A page of changes; apply it and store `cursor` in one transaction, then ask again while hasMore. */
export const ChangesPage = z
  .object({ changes: z.array(Change), cursor: Cursor, hasMore: z.boolean() })
  .strict();
export type ChangesPage = z.infer<typeof ChangesPage>;

/** Pushed over GET /v1/events: a hint to pull, never the data itself. */
export const ServerEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('changes'), cursor: Cursor }).strict(),
  z.object({ type: z.literal('hello'), cursor: Cursor }).strict(),
]);
export type ServerEvent = z.infer<typeof ServerEvent>;

/** GET /v1/codes/:code: a code this terminal's store may redeem, with its batch. */
export const CodeLookup = z.object({ code: CodeState, batch: Batch }).strict();
export type CodeLookup = z.infer<typeof CodeLookup>;
