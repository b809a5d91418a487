import type { RedemptionRequest } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';
import type { Storage, WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { AlreadyRecorded, redeem, storedResponse, type LedgerDeps } from './redeem';

/** A terminal may only redeem for its own store, as itself. */
export function checkOwnership(actor: TerminalActor, req: RedemptionRequest): void {
  if (req.storeId !== actor.storeId)
    throw new HttpError(
      403,
      'WRONG_STORE',
      `This terminal belongs to store ${actor.storeId}; it cannot redeem for store ${req.storeId}.`,
    );
  if (req.terminalId !== actor.terminalId)
    throw new HttpError(
      403,
      'FORBIDDEN',
      `The token belongs to terminal ${actor.terminalId}, but the redemption names terminal ${req.terminalId}; send this terminal's own id.`,
    );
}

/**
 * One redemption in its own transaction (on SQLite, its own savepoint of a
 * commit group); a replay, even a concurrent one, gets the stored bytes.
 * On SQLite the terminal look-up and the replay check run inside the group
 * commit's transaction: a read outside it would queue on Kysely's single
 * connection behind every open group, twice per request.
 */
export async function redeemOne(
  storage: Storage,
  deps: LedgerDeps,
  actor: TerminalActor,
  req: RedemptionRequest,
  now: string,
): Promise<string> {
  if (storage.dialect === 'postgres') {
    const prior = await storedResponse(storage.db, req.id);
    if (prior !== undefined) return prior;
  }
  try {
    return await storage.write(async (w) => {
      checkOwnership(actor, req);
      return redeem(w, deps, actor, req, now);
    });
  } catch (e) {
    if (!(e instanceof AlreadyRecorded)) throw e;
    const stored = await storedResponse(storage.db, req.id);
    if (stored === undefined) throw e;
    return stored;
  }
}

/**
 * A pushed batch in one transaction, each item inside its own savepoint so an
 * item lost to a concurrent replay of the same id is undone alone and answered
 * with the stored outcome. Outcomes come back in request order.
 */
export function redeemBatch(
  storage: Storage,
  deps: LedgerDeps,
  actor: TerminalActor,
  items: readonly RedemptionRequest[],
  now: string,
): Promise<string[]> {
  return storage.write(async (w: WriteTx) => {
    for (const item of items) checkOwnership(actor, item);
    const out: string[] = [];
    for (const item of items) {
      try {
        out.push(await w.savepoint(() => redeem(w, deps, actor, item, now)));
      } catch (e) {
        if (!(e instanceof AlreadyRecorded)) throw e;
        const stored = await storedResponse(w, item.id);
        if (stored === undefined) throw e;
        out.push(stored);
      }
    }
    return out;
  });
}
