import { randomUUID } from 'node:crypto';
import type { TerminalId } from '../../core/ids';
import type { PairRequest, PairResponse } from '../../core/protocol';
import { appendAudit } from '../audit/chain';
import { storeView } from '../catalog/views';
import type { AppContext } from '../context';
import { HttpError } from '../http/errors';
import { countAttempt, tooMany } from './limits';
import { hashToken, newToken } from './secrets';

/**
 * Trades a one-time pairing code for a new terminal and its token (shown
 * once, stored hashed). Attempts are counted per client address first, in a
 * write of their own, so a wrong code still counts.
 */
export async function pairTerminal(
  ctx: AppContext,
  body: PairRequest,
  address: string,
  now: string,
): Promise<PairResponse> {
  const rate = await ctx.storage.write((w) =>
    countAttempt(
      w,
      'pair_attempts',
      address,
      { max: ctx.limits.pairPerMinute, windowMs: 60_000 },
      now,
    ),
  );
  if (rate.over) throw tooMany('pairing attempts from this address', rate);
  const token = newToken();
  const terminalId = `t-${randomUUID()}` as TerminalId;
  const store = await ctx.storage.write(async (w) => {
    // One conditional update: two terminals racing for one code get one terminal.
    const used = await w.trx
      .updateTable('pairing_codes')
      .set({ used_at: now, terminal_id: terminalId })
      .where('code_hash', '=', hashToken(body.pairingCode))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('store_id')
      .executeTakeFirst();
    if (!used)
      throw new HttpError(
        400,
        'PAIRING_CODE_INVALID',
        'This pairing code is unknown, already used or expired; ask a manager for a new one.',
      );
    const storeRow = await w.trx
      .selectFrom('stores')
      .selectAll()
      .where('id', '=', used.store_id)
      .executeTakeFirstOrThrow();
    await w.trx
      .insertInto('terminals')
      .values({
        id: terminalId,
        store_id: used.store_id,
        name: body.name,
        token_hash: hashToken(token),
        paired_at: now,
        revoked_at: null,
      })
      .execute();
    await appendAudit(
      w,
      {
        actor: `terminal:${terminalId}`,
        terminalId,
        storeId: used.store_id,
        action: 'terminal.paired',
        subject: `terminal:${terminalId}`,
        before: null,
        after: { id: terminalId, name: body.name, storeId: used.store_id },
      },
      now,
    );
    return storeView(storeRow);
  });
  return { terminalId, token, store, codePublicKey: ctx.keys.codePublicKeyHex };
}
