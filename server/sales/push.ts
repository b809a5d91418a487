import type { SaleRequest } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';
import type { Storage } from '../db/storage';
import { HttpError } from '../http/errors';
import { sales } from '../ops/metrics';
import type { PaymentFollower } from '../payments/reconcile';
import { recordSale, saleRequestHash, storedSale, type RecordNotes } from './record';
import type { TakeBack } from './replace';

/** A terminal records sales only for its own store, as itself. */
function checkOwnership(actor: TerminalActor, req: SaleRequest): void {
  if (req.storeId !== actor.storeId || req.terminalId !== actor.terminalId)
    throw new HttpError(
      403,
      'FORBIDDEN',
      `Sale ${req.id} names store ${req.storeId} and terminal ${req.terminalId}, but this token belongs to terminal ${actor.terminalId} of store ${actor.storeId}; send this terminal's own ids.`,
    );
}

/** What the writes of a push noted, reset when a write runs again. */
class Notes implements RecordNotes {
  readonly outcomes: string[] = [];
  readonly takeBacks: TakeBack[] = [];
  decided(outcome: string): void {
    this.outcomes.push(outcome);
  }
  takeBack(payment: TakeBack): void {
    this.takeBacks.push(payment);
  }
  reset(): void {
    this.outcomes.length = 0;
    this.takeBacks.length = 0;
  }
  /**
   * Once committed: the metrics, and the payments of voided sales to close or reverse at WeChat
   * (without a follower — no WeChat Pay here now — the next sweep that has one does it).
   */
  committed(follower: PaymentFollower | null): void {
    for (const outcome of this.outcomes) sales.inc({ outcome });
    for (const p of this.takeBacks) follower?.takeBack(p.terminalId, p.id);
  }
}

/**
 * Records one sale in its own transaction; a replay gets the stored bytes. On PostgreSQL two
 * copies of one sale racing each other meet at the primary key: the loser's transaction fails
 * and it answers with the winner's stored outcome.
 */
export async function recordOne(
  storage: Storage,
  follower: PaymentFollower | null,
  actor: TerminalActor,
  req: SaleRequest,
  now: string,
): Promise<string> {
  checkOwnership(actor, req);
  const notes = new Notes();
  try {
    const text = await storage.write((w) => {
      notes.reset();
      return recordSale(w, actor, req, now, notes);
    });
    notes.committed(follower);
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
  follower: PaymentFollower | null,
  actor: TerminalActor,
  items: readonly SaleRequest[],
  now: string,
): Promise<string[]> {
  for (const item of items) checkOwnership(actor, item);
  const notes = new Notes();
  const out = await storage.write(async (w) => {
    notes.reset();
    const texts: string[] = [];
    for (const item of items) texts.push(await recordSale(w, actor, item, now, notes));
    return texts;
  });
  notes.committed(follower);
  return out;
}
