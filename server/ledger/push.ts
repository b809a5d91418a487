import type { RedemptionRequest } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';
import type { Storage } from '../db/storage';
import { HttpError } from '../http/errors';
import { redemptions } from '../ops/metrics';
import type { AttemptReads } from './attempt-reads';
import { redeemSet } from './batch-redeem';
import { BatchRaced } from './batch-write';
import { AlreadyRecorded, redeem, requestHash, storedResponse, type LedgerDeps } from './redeem';

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
 * commit group); a replay, even a concurrent one, gets the stored bytes. The
 * actor is authenticated before anything is looked up: a replay is answered
 * only to the terminal that made the id. `reads` (PostgreSQL) reads what the
 * redemption is decided on together with concurrent requests.
 */
export async function redeemOne(
  storage: Storage,
  deps: LedgerDeps,
  actor: TerminalActor,
  req: RedemptionRequest,
  now: string,
  reads: AttemptReads | null = null,
): Promise<string> {
  checkOwnership(actor, req);
  // PostgreSQL: read with the requests that came together, before the write (attempt-reads.ts).
  let readBefore = reads ? await reads.read(actor.terminalId, req.id, req.code) : null;
  // Counted once committed: a job run again (its group rolled back) decides afresh.
  let decided: string | null = null;
  const decide = (status: string) => {
    decided = status;
  };
  try {
    const text = await storage.write(
      (w) => {
        // A job run again (its group rolled back) reads inside its transaction.
        const read = readBefore;
        readBefore = null;
        decided = null;
        return redeem(w, deps, actor, req, now, read, decide);
      },
      { withoutSavepoint: true },
    );
    if (decided !== null) redemptions.inc({ outcome: decided });
    return text;
  } catch (e) {
    if (!(e instanceof AlreadyRecorded)) throw e;
    const stored = await storedResponse(storage.db, actor.terminalId, req.id, requestHash(req));
    if (stored === undefined) throw e;
    return stored;
  }
}

/** Runs of a batch that lost a race (batch-write.ts BatchRaced) before it is given up. */
const BATCH_ATTEMPTS = 5;

/**
 * A pushed batch in one transaction, decided and written set-based
 * (batch-redeem.ts): the same outcomes, in request order, as redeeming the
 * items one by one, with a few statements for the whole batch. A batch that
 * lost a race to a concurrent request with one of its ids is run again and
 * then replays that id.
 */
export async function redeemBatch(
  storage: Storage,
  deps: LedgerDeps,
  actor: TerminalActor,
  items: readonly RedemptionRequest[],
  now: string,
): Promise<string[]> {
  for (const item of items) checkOwnership(actor, item);
  const decided: string[] = [];
  const decide = (status: string) => decided.push(status);
  for (let attempt = 1; ; attempt++) {
    try {
      const texts = await storage.write((w) => {
        decided.length = 0;
        return redeemSet(w, deps, actor, items, now, decide);
      });
      // Counted once committed: a run that lost a race or was rolled back counts nothing.
      for (const outcome of decided) redemptions.inc({ outcome });
      return texts;
    } catch (e) {
      if (!(e instanceof BatchRaced) || attempt >= BATCH_ATTEMPTS) throw e;
    }
  }
}
