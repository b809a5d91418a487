import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** The columns of a code row (ledger/redemption-rules.ts CodeRow) with its batch document. */
export const codeRowColumns = [
  'codes.code',
  'codes.batch_id',
  'codes.state',
  'codes.claimed_at',
  'codes.redeemed_at',
  'codes.redeemed_store_id',
  'codes.redeemed_terminal_id',
  'codes.redemption_id',
  'batches.doc',
  'batches.version',
  'terminals.name as redeemed_terminal_name',
] as const;

/**
 * A voucher code with its batch document and the name of the till that redeemed it: what every
 * place that judges or shows a code reads (the single redemption, the batch push, the look-up).
 * Add a `where` on codes.code.
 */
export function selectCodeRows(db: Kysely<Database>) {
  return db
    .selectFrom('codes')
    .innerJoin('batches', 'batches.id', 'codes.batch_id')
    .leftJoin('terminals', 'terminals.id', 'codes.redeemed_terminal_id')
    .select(codeRowColumns);
}
