import { z } from 'zod';
import { ClientId, Instant, StoreId, UserId } from '../ids';
import { SafeText } from '../text';
import { Batch, BatchState } from '../vouchers';
import { Product, StoreGroup } from './catalog';
import { StoreInput } from './manager';

/**
 * What the manager console reads and edits beyond the older manager calls (manager.ts): the
 * lists it pages through and the versioned batch edit. Lists page with an opaque cursor
 * (`after` = the `next` of the previous page) so no call loads a whole table.
 */

const Limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
const Cursor = SafeText.max(200);

/** GET /v1/manager/batches?state=&kind=&q=&storeId=&after=&limit= */
export const BatchesQuery = z
  .object({
    state: BatchState.optional(),
    kind: z.enum(['cash', 'threshold', 'discount', 'gift', 'group_buy', 'general']).optional(),
    /** Part of the id or the name. */
    q: SafeText.max(100).optional(),
    /** Only batches this store may redeem (a store manager always gets their own). */
    storeId: StoreId.optional(),
    after: Cursor.optional(),
    limit: Limit(200, 50),
  })
  .strict();
export type BatchesQuery = z.infer<typeof BatchesQuery>;

/** A batch as the console shows it: its document, its version and its code counts. */
export const BatchRow = z
  .object({
    batch: Batch,
    /** Bumped by every change; an edit names the version it was made on. */
    version: z.number().int().min(1),
    issued: z.number().int().min(0),
    redeemed: z.number().int().min(0),
    updatedBy: UserId.nullable(),
    updatedAt: Instant.nullable(),
  })
  .strict();
export type BatchRow = z.infer<typeof BatchRow>;

export const BatchesPage = z
  .object({ batches: z.array(BatchRow), next: z.string().nullable() })
  .strict();
export type BatchesPage = z.infer<typeof BatchesPage>;

/**
 * POST /v1/manager/batches/:id: replaces the batch's rules. Refused with VERSION_CONFLICT when
 * someone saved it since `version`; `requestId` is the save's idempotency key (a retry of the
 * same save gets the stored batch back).
 */
export const UpdateBatchRequest = z
  .object({ batch: Batch, version: z.number().int().min(1), requestId: ClientId })
  .strict()
  .refine((r) => r.batch.state !== 'revoked' && r.batch.state !== 'expired', {
    message: 'an edit cannot revoke or expire a batch; use the state change',
    path: ['batch', 'state'],
  });
export type UpdateBatchRequest = z.infer<typeof UpdateBatchRequest>;

/** A store as the console lists it: with its offline allowance settings. */
export const StoreRow = StoreInput.required({ offline: true });
export type StoreRow = z.infer<typeof StoreRow>;

/** GET /v1/manager/stores?after=&limit= (a store manager gets their own store). */
export const StoresQuery = z
  .object({ after: Cursor.optional(), limit: Limit(1_000, 500) })
  .strict();
export type StoresQuery = z.infer<typeof StoresQuery>;

/** A page of stores, with every group (regions are few; stores may be 10,000). */
export const StoresPage = z
  .object({ stores: z.array(StoreRow), groups: z.array(StoreGroup), next: z.string().nullable() })
  .strict();
export type StoresPage = z.infer<typeof StoresPage>;

/** GET /v1/manager/products?q=&after=&limit= */
export const ProductsQuery = z
  .object({ q: SafeText.max(100).optional(), after: Cursor.optional(), limit: Limit(500, 100) })
  .strict();
export type ProductsQuery = z.infer<typeof ProductsQuery>;

export const ProductsPage = z
  .object({ products: z.array(Product), next: z.string().nullable() })
  .strict();
export type ProductsPage = z.infer<typeof ProductsPage>;
