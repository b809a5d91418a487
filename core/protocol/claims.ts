import { z } from 'zod';
import { BatchId, StoreId } from '../ids';
import { SafeText } from '../text';

/** POST /v1/manager/claim-pages: publishes a claim page for a batch at a store. */
export const PublishClaimPage = z
  .object({
    batchId: BatchId,
    storeId: StoreId,
    title: SafeText.min(1).max(60),
    /** Codes the page gives out in all. */
    totalStock: z.number().int().min(1).max(1_000_000),
    /** Codes it gives out per store-local day; null: no daily limit. */
    dailyStock: z.number().int().min(1).max(1_000_000).nullable(),
    /** Codes one customer (one device) may claim from the batch. */
    perCustomer: z.number().int().min(1).max(20).default(1),
  })
  .strict();

export const ClaimPageView = z
  .object({
    id: z.string(),
    batchId: BatchId,
    storeId: StoreId,
    title: z.string(),
    totalStock: z.number().int(),
    dailyStock: z.number().int().nullable(),
    perCustomer: z.number().int(),
    claimed: z.number().int(),
    /** The public page's path (/claim/:id) and its printable poster's. */
    path: z.string(),
    posterPath: z.string(),
  })
  .strict();
export type ClaimPageView = z.infer<typeof ClaimPageView>;

/**
 * GET /v1/manager/claim-pages?batchId=&after=&limit=: the published pages, newest first (a
 * store manager gets their store's); `after` is the `next` of the page before.
 */
export const ClaimPagesQuery = z
  .object({
    batchId: BatchId.optional(),
    after: SafeText.max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ClaimPagesQuery = z.infer<typeof ClaimPagesQuery>;

export const ClaimPagesPage = z
  .object({ pages: z.array(ClaimPageView), next: z.string().nullable() })
  .strict();
export type ClaimPagesPage = z.infer<typeof ClaimPagesPage>;
