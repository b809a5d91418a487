import type { SaleRequest } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';
import type { Storage } from '../db/storage';
import { HttpError } from '../http/errors';
import { sales } from '../ops/metrics';
import { recordSale, saleRequestHash, storedSale } from './record';

/** A terminal records sales only for its own store, as itself. */
function checkOwnership(actor: TerminalActor, req: SaleRequest): void {
  if (req.storeId !== actor.storeId || req.terminalId !== actor.terminalId)
    throw new HttpError(
      403,
      'FORBIDDEN',
      `Sale ${req.id} names store ${req.storeId} and terminal ${req.terminalId}, but this token belongs to terminal ${actor.terminalId} of store ${actor.storeId}; send this terminal's own ids.`,
    );
}

/**
 * Records one sale in its own transaction; a replay gets the stored bytes. On PostgreSQL two
 * copies of one sale racing each other meet at the primary key: the loser's transaction fails
 * and it answers with the winner's stored outcome.
 */
export async function recordOne(
  storage: Storage,
  actor: TerminalActor,
  req: SaleRequest,
  now: string,
): Promise<string> {
  checkOwnership(actor, req);
  let decided: string | null = null;
  try {
    const text = await storage.write((w) => {
      decided = null;
      return recordSale(w, actor, req, now, (outcome) => {
        decided = outcome;
      });
    });
    // Counted once committed.
    if (decided !== null) sales.inc({ outcome: decided });
    return text;
  } catch (e) {
    const stored = await storedSale(storage.db, actor.terminalId, req.id, saleRequestHash(req));
    if (stored === undefined) throw e;
    return stored;
  }
}

/** A pushed batch of sales in one transaction; outcomes in request order. */
export async function recordBatch(
  storage: Storage,
  actor: TerminalActor,
  items: readonly SaleRequest[],
  now: string,
): Promise<string[]> {
  for (const item of items) checkOwnership(actor, item);
  const decided: string[] = [];
  const decide = (outcome: string) => decided.push(outcome);
  const out = await storage.write(async (w) => {
    decided.length = 0;
    const texts: string[] = [];
    for (const item of items) texts.push(await recordSale(w, actor, item, now, decide));
    return texts;
  });
  // Counted once committed.
  for (const outcome of decided) sales.inc({ outcome });
  return out;
}
