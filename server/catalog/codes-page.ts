import type { Kysely, Selectable } from 'kysely';
import type { StoreId, TerminalId, VoucherCode } from '../../core/ids';
import type { CodeState, CodesPage, CodesQuery } from '../../core/protocol';
import type { CodeTable, Database } from '../db/schema';

type Db = Pick<Kysely<Database>, 'selectFrom'>;

/** A stored code as the protocol states it. */
export function codeStateOf(row: Selectable<CodeTable>): CodeState {
  return {
    code: row.code as VoucherCode,
    batchId: row.batch_id as CodeState['batchId'],
    state: row.state as CodeState['state'],
    claimedAt: row.claimed_at,
    redeemed:
      row.redeemed_at !== null && row.redeemed_store_id !== null
        ? {
            at: row.redeemed_at,
            storeId: row.redeemed_store_id as StoreId,
            ...(row.redeemed_terminal_id === null
              ? {}
              : { terminalId: row.redeemed_terminal_id as TerminalId }),
          }
        : null,
  };
}

/**
 * One page of codes in code order (the primary key, so a page reads its own rows and stops);
 * `next` continues after it.
 */
export async function codesPage(db: Db, q: CodesQuery): Promise<CodesPage> {
  let query = db.selectFrom('codes').selectAll();
  if (q.batchId !== undefined) query = query.where('batch_id', '=', q.batchId);
  if (q.state !== undefined) query = query.where('state', '=', q.state);
  if (q.after !== undefined) query = query.where('code', '>', q.after);
  const rows = await query
    .orderBy('code')
    .limit(q.limit + 1)
    .execute();
  const codes = rows.slice(0, q.limit).map(codeStateOf);
  const last = codes.at(-1);
  return { codes, next: rows.length > q.limit && last ? last.code : null };
}
