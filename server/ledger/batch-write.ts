import { sql } from 'kysely';
import type { TerminalActor } from '../auth/actors';
import type { WriteTx } from '../db/storage';
import { chunked, runBuilt } from './batch-load';
import type { BatchPlan } from './batch-redeem';
import { insertRedemption, takeCode } from './redeem-statements';

/** A code a batch item takes, with the instant and id it is taken under. */
export interface Take {
  readonly code: string;
  readonly at: string;
  readonly redemptionId: string;
}

/**
 * The batch decided on data that changed before it could write: a concurrent
 * request recorded one of its ids first, or took one of its codes. The caller
 * rolls the transaction back and runs the batch again on fresh data (a
 * recorded id is then replayed).
 */
export class BatchRaced extends Error {
  constructor(what: string) {
    super(`a concurrent request got there first (${what}); the batch is run again`);
  }
}

/** Rows per multi-row INSERT: 15 columns × 500 stays below both databases' parameter limits. */
const ROWS_PER_INSERT = 500;

/**
 * Writes what decideBatch planned, set-based: the codes taken in one
 * conditional update, the lease charges one update per lease, the redemption
 * and conflict rows in multi-row inserts. On SQLite the per-row prepared
 * statements cost less than building one big statement (no round trips to
 * save there) and run straight on the connection.
 */
export async function writeBatch(w: WriteTx, actor: TerminalActor, plan: BatchPlan): Promise<void> {
  const taken = await takeCodes(w, actor, plan.takes);
  if (taken < plan.takes.length) throw new BatchRaced('a code was taken');

  for (const [leaseId, charge] of [...plan.charges].sort(([a], [b]) => (a < b ? -1 : 1)))
    await runBuilt(
      w,
      w.trx
        .updateTable('leases')
        .set((eb) => ({
          used_count: eb('used_count', '+', charge.count),
          used_value_fen: eb('used_value_fen', '+', charge.valueFen),
        }))
        .where('lease_id', '=', leaseId),
    );

  let recorded = 0;
  if (w.dialect === 'postgres') {
    for (const rows of chunked(plan.redemptions, ROWS_PER_INSERT)) {
      const r = await runBuilt(
        w,
        w.trx
          .insertInto('redemptions')
          .values(rows)
          .onConflict((oc) => oc.columns(['terminal_id', 'id']).doNothing()),
      );
      recorded += Number(r.numAffectedRows ?? 0);
    }
  } else {
    for (const row of plan.redemptions)
      recorded += Number((await insertRedemption(w, row)).numAffectedRows ?? 0);
  }
  // ON CONFLICT DO NOTHING skipped an id that a concurrent request recorded first.
  if (recorded < plan.redemptions.length) throw new BatchRaced('an id was recorded');

  for (const rows of chunked(plan.conflicts, ROWS_PER_INSERT))
    await runBuilt(w, w.trx.insertInto('conflicts').values(rows));
}

/** Takes the codes still issued; returns how many it took. */
async function takeCodes(
  w: WriteTx,
  actor: TerminalActor,
  takes: readonly Take[],
): Promise<number> {
  if (takes.length === 0) return 0;
  if (w.dialect === 'sqlite') {
    let n = 0;
    for (const t of takes)
      n += Number(
        (
          await takeCode(w, {
            code: t.code,
            redeemed_at: t.at,
            redeemed_store_id: actor.storeId,
            redeemed_terminal_id: actor.terminalId,
            redemption_id: t.redemptionId,
          })
        ).numAffectedRows ?? 0,
      );
    return n;
  }
  // In code order, the order the rows were locked in (batch-load.ts).
  const sorted = [...takes].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  let n = 0;
  for (const chunk of chunked(sorted, 5_000)) {
    const r = await sql<{ code: string }>`
      update codes set
        state = 'redeemed',
        redeemed_at = v.at,
        redeemed_store_id = ${actor.storeId},
        redeemed_terminal_id = ${actor.terminalId},
        redemption_id = v.id
      from unnest(
        ${chunk.map((t) => t.code)}::text[],
        ${chunk.map((t) => t.at)}::text[],
        ${chunk.map((t) => t.redemptionId)}::text[]
      ) as v(code, at, id)
      where codes.code = v.code and codes.state = 'issued'
      returning codes.code`.execute(w.trx);
    n += r.rows.length;
  }
  return n;
}
