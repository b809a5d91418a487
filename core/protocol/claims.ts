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
