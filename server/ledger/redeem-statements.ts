import { sql, type Insertable } from 'kysely';
import { prepared, type Slots } from '../db/prepared';
import type { CodeTable, RedemptionTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import type { LoadedCode, StoredRow } from './batch-load';
import { codeRowColumns } from './code-rows';

/**
 * The statements of one online redemption (redeem.ts), as few as the work
 * allows: every statement is a round trip, and on PostgreSQL those cost the
 * server more than the database's own work. A redemption that takes its code
 * runs two: what it is decided on (readAttempt), and the write
 * (takeAndRecord).
 */

/** What one redemption is decided on, read in one statement. */
export interface AttemptData {
  /** This terminal's earlier answer under the request's id. */
  readonly stored: StoredRow | null;
  /** The terminal is still paired: checked in the transaction, so an unpairing commit stops it. */
  readonly paired: boolean;
  /** The code with its batch document; null when there is no such code. */
  readonly code: LoadedCode | null;
}

const selectAttempt = prepared((db, p: Slots<{ terminalId: string; id: string; code: string }>) =>
  db
    // One row whatever exists: every part is a left join onto it.
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one'))
    .leftJoin('redemptions as stored', (j) =>
      j.on('stored.terminal_id', '=', p('terminalId')).on('stored.id', '=', p('id')),
    )
    .leftJoin('terminals as me', (j) => j.on('me.id', '=', p('terminalId')))
    .leftJoin('codes', (j) => j.on('codes.code', '=', p('code')))
    .leftJoin('batches', 'batches.id', 'codes.batch_id')
    .leftJoin('terminals', 'terminals.id', 'codes.redeemed_terminal_id')
    .select(codeRowColumns)
    .select([
      'stored.response as stored_response',
      'stored.request_hash as stored_request_hash',
      'me.id as me_id',
      'me.revoked_at as me_revoked_at',
    ]),
);

/** A row of selectAttempt (or of attempt-reads.ts's batched twin) as the ledger reads it. */
export interface AttemptRow {
  readonly stored_response: string | null;
  readonly stored_request_hash: string | null;
  readonly me_id: string | null;
  readonly me_revoked_at: string | null;
  readonly code: string | null;
  readonly batch_id: string | null;
  readonly state: string | null;
  readonly claimed_at: string | null;
  readonly redeemed_at: string | null;
  readonly redeemed_store_id: string | null;
  readonly redeemed_terminal_id: string | null;
  readonly redemption_id: string | null;
  readonly redeemed_terminal_name: string | null;
  readonly doc: string | null;
  readonly version: number | null;
}

export function attemptData(row: AttemptRow): AttemptData {
  return {
    stored:
      row.stored_response === null
        ? null
        : { response: row.stored_response, request_hash: row.stored_request_hash },
    paired: row.me_id !== null && row.me_revoked_at === null,
    code:
      row.code === null || row.doc === null || row.state === null || row.batch_id === null
        ? null
        : {
            code: row.code,
            batch_id: row.batch_id,
            state: row.state,
            claimed_at: row.claimed_at,
            redeemed_at: row.redeemed_at,
            redeemed_store_id: row.redeemed_store_id,
            redeemed_terminal_id: row.redeemed_terminal_id,
            redemption_id: row.redemption_id,
            redeemed_terminal_name: row.redeemed_terminal_name,
            doc: row.doc,
            version: Number(row.version),
          },
  };
}

/** The stored answer, the terminal's pairing and the code row, in one statement. */
export async function readAttempt(
  w: WriteTx,
  terminalId: string,
  id: string,
  code: string,
): Promise<AttemptData> {
  const row: AttemptRow | undefined = (await selectAttempt(w, { terminalId, id, code })).rows[0];
  if (!row) throw new Error('the redemption read returned no row');
  return attemptData(row);
}

export type TakeCode = Pick<
  CodeTable,
  'code' | 'redeemed_at' | 'redeemed_store_id' | 'redeemed_terminal_id' | 'redemption_id'
>;

/** The conditional update that makes a redemption exactly-once: only an issued code is taken. */
export const takeCode = prepared((db, p: Slots<TakeCode>) =>
  db
    .updateTable('codes')
    .set({
      state: 'redeemed',
      redeemed_at: p('redeemed_at'),
      redeemed_store_id: p('redeemed_store_id'),
      redeemed_terminal_id: p('redeemed_terminal_id'),
      redemption_id: p('redemption_id'),
    })
    .where('code', '=', p('code'))
    .where('state', '=', 'issued'),
);

/** One redemption row; no row is inserted when the terminal's id is already recorded. */
export const insertRedemption = prepared((db, p: Slots<Insertable<RedemptionTable>>) =>
  db
    .insertInto('redemptions')
    .values({
      id: p('id'),
      code: p('code'),
      batch_id: p('batch_id'),
      store_id: p('store_id'),
      terminal_id: p('terminal_id'),
      cashier_id: p('cashier_id'),
      status: p('status'),
      discount_fen: p('discount_fen'),
      day: p('day'),
      customer_id: p('customer_id'),
      lease_id: p('lease_id'),
      at: p('at'),
      recorded_at: p('recorded_at'),
      response: p('response'),
      request_hash: p('request_hash'),
    })
    // No RETURNING to learn whether it inserted: the affected-row count says so on both
    // databases, and on SQLite RETURNING doubled the cost of this insert.
    .onConflict((oc) => oc.columns(['terminal_id', 'id']).doNothing()),
);

const REDEMPTION_COLUMNS = [
  'id',
  'code',
  'batch_id',
  'store_id',
  'terminal_id',
  'cashier_id',
  'status',
  'discount_fen',
  'day',
  'customer_id',
  'lease_id',
  'at',
  'recorded_at',
  'response',
  'request_hash',
] as const satisfies readonly (keyof RedemptionTable)[];

/**
 * PostgreSQL: takeCode and insertRedemption in one statement. The row is
 * inserted only from the update's RETURNING, so a code not taken records
 * nothing (the caller then records the refusal).
 */
const TAKE_AND_RECORD = `
with taken as (
  update codes set
    state = 'redeemed',
    redeemed_at = $2::text,
    redeemed_store_id = $3::text,
    redeemed_terminal_id = $4::text,
    redemption_id = $5::text
  where code = $1::text and state = 'issued'
  returning code
), recorded as (
  insert into redemptions (${REDEMPTION_COLUMNS.join(', ')})
  select ${REDEMPTION_COLUMNS.map((c, i) => `$${i + 6}::${c === 'discount_fen' ? 'bigint' : 'text'}`).join(', ')}
  from taken
  on conflict (terminal_id, id) do nothing
  returning 1
)
select (select count(*) from taken) as taken, (select count(*) from recorded) as recorded`;

/**
 * Takes the code and records the redemption under it. `taken` false: the
 * code was no longer issued and nothing was written. `recorded` false with
 * `taken` true: the terminal's id was recorded by a concurrent request first;
 * the code is taken but has no row, so the caller must throw and have its
 * writes undone (redeem.ts AlreadyRecorded).
 */
export async function takeAndRecord(
  w: WriteTx,
  take: TakeCode,
  row: Insertable<RedemptionTable>,
): Promise<{ readonly taken: boolean; readonly recorded: boolean }> {
  if (w.dialect === 'postgres') {
    const counts = (
      await w.run<{ taken: number; recorded: number }>(TAKE_AND_RECORD, [
        take.code,
        take.redeemed_at,
        take.redeemed_store_id,
        take.redeemed_terminal_id,
        take.redemption_id,
        ...REDEMPTION_COLUMNS.map((c) => row[c] ?? null),
      ])
    ).rows[0];
    return { taken: Number(counts?.taken) === 1, recorded: Number(counts?.recorded) === 1 };
  }
  // SQLite: no round trips to save, and no UPDATE inside a WITH.
  const taken = Number((await takeCode(w, take)).numAffectedRows ?? 0) === 1;
  if (!taken) return { taken, recorded: false };
  const recorded = Number((await insertRedemption(w, row)).numAffectedRows ?? 0) === 1;
  return { taken, recorded };
}
