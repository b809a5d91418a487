import { z } from 'zod';
import { BatchId, ClientId, Instant, StoreId, TerminalId, UserId, VoucherCode } from '../ids';
import { Fen } from '../money';
import { Reason } from '../reasons';
import { Batch } from '../vouchers';
import { CodeState } from './changes';

/**
 * The console's Codes screen: a CSV import that is all or nothing, with a report of every bad
 * row, and the look-up of one code with everything that happened to it.
 */

/** POST /v1/manager/batches/:id/import-csv: the file as the manager chose it (lines `code[,claimed_at]`). */
export const ImportCodesCsvRequest = z
  .object({
    /** At most 10,000 rows: 2 MB is far more than that many codes with their times. */
    csv: z.string().max(2_000_000),
    /** The claim time of rows that leave claimed_at empty. */
    claimedAt: Instant.nullable(),
  })
  .strict();
export type ImportCodesCsvRequest = z.infer<typeof ImportCodesCsvRequest>;

/** What is wrong with a row; the console words each with what to do. */
export const CodeRowProblem = z.enum([
  'bad_code',
  'bad_claim_time',
  'too_many_columns',
  'repeated_in_file',
  'already_known',
  'too_many_rows',
  'no_rows',
]);
export type CodeRowProblem = z.infer<typeof CodeRowProblem>;

export const CodeRowError = z
  .object({
    /** 1-based line of the file (the header, when there is one, is line 1). */
    row: z.number().int().min(0),
    problem: CodeRowProblem,
    /** The cell as read, cut to 80 characters. */
    value: z.string().max(80),
    /** For repeated_in_file: the first row with that code. */
    firstRow: z.number().int().optional(),
  })
  .strict();
export type CodeRowError = z.infer<typeof CodeRowError>;

/** Either everything was imported (errors empty) or nothing was (imported 0). */
export const ImportCodesCsvResponse = z
  .object({
    imported: z.number().int().min(0),
    /** The first 500 bad rows, in file order. */
    errors: z.array(CodeRowError).max(500),
    /** How many rows were bad in all (more than errors lists when the file is very bad). */
    badRows: z.number().int().min(0),
  })
  .strict();
export type ImportCodesCsvResponse = z.infer<typeof ImportCodesCsvResponse>;

export const CodeRedemptionView = z
  .object({
    id: ClientId,
    status: z.string().max(32),
    storeId: StoreId,
    terminalId: TerminalId,
    terminalName: z.string().max(200).nullable(),
    cashierId: UserId.nullable(),
    discountFen: Fen,
    at: Instant,
    /** The sale (receipt) it was applied to, once the till recorded that sale. */
    sale: z.object({ id: ClientId, dueFen: Fen, at: Instant }).strict().nullable(),
  })
  .strict();
export type CodeRedemptionView = z.infer<typeof CodeRedemptionView>;

export const CodeConflictView = z
  .object({
    redemptionId: ClientId,
    storeId: StoreId,
    terminalId: TerminalId,
    reason: Reason,
    discountFen: Fen,
    at: Instant,
    resolution: z.string().max(64).nullable(),
  })
  .strict();
export type CodeConflictView = z.infer<typeof CodeConflictView>;

/** GET /v1/manager/codes/:code */
export const CodeDetail = z
  .object({
    code: CodeState,
    batch: Batch,
    signed: z.boolean(),
    redemptions: z.array(CodeRedemptionView),
    conflicts: z.array(CodeConflictView),
  })
  .strict();
export type CodeDetail = z.infer<typeof CodeDetail>;

/**
 * GET /v1/manager/codes?batchId=&state=&after=&limit=: codes in code order, optionally of one
 * batch and in one state; `after` is the `next` of the previous page.
 */
export const CodesQuery = z
  .object({
    batchId: BatchId.optional(),
    state: CodeState.shape.state.optional(),
    after: VoucherCode.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type CodesQuery = z.infer<typeof CodesQuery>;

export const CodesPage = z
  .object({ codes: z.array(CodeState), next: VoucherCode.nullable() })
  .strict();
export type CodesPage = z.infer<typeof CodesPage>;
