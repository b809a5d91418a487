import type { StoreId, TerminalId, VoucherCode } from '../../core/ids';
import type { CodeLookup, CodeState } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';
import { countAttempt, tooMany } from '../auth/limits';
import type { AppContext } from '../context';
import { batchReaches } from '../feed/changes';
import { HttpError } from '../http/errors';
import { selectCodeRows } from '../ledger/code-rows';

/**
 * A code and its batch, if the terminal's store may redeem it; 404 otherwise
 * (no hint which). Look-ups are counted per terminal: enumerating codes is
 * guessing them.
 */
export async function lookupCode(
  ctx: AppContext,
  actor: TerminalActor,
  code: VoucherCode,
  now: string,
): Promise<CodeLookup> {
  const rate = await ctx.storage.write((w) =>
    countAttempt(
      w,
      'lookups',
      actor.terminalId,
      { max: ctx.limits.lookupPerMinute, windowMs: 60_000 },
      now,
    ),
  );
  if (rate.over) throw tooMany('code look-ups from this terminal', rate);
  const row = await selectCodeRows(ctx.storage.db)
    .where('codes.code', '=', code)
    .executeTakeFirst();
  const batch = row ? ctx.batches.get(row.batch_id, Number(row.version), row.doc) : null;
  if (!row || !batch || !batchReaches(batch, actor.storeId, actor.groupIds))
    throw new HttpError(
      404,
      'NOT_FOUND',
      `No voucher ${code} is known for store ${actor.storeId}; check the code, or the voucher is not valid at this store.`,
    );
  const state: CodeState = {
    code,
    batchId: batch.id,
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
  return { code: state, batch };
}
