import type { Reader } from '../db/reader';
import { attemptData, type AttemptData, type AttemptRow } from './redeem-statements';

/** What one redemption's read is asked for. */
interface Asked {
  readonly terminalId: string;
  readonly id: string;
  readonly code: string;
  readonly resolve: (data: AttemptData) => void;
  readonly reject: (error: unknown) => void;
}

/** Reads at most this many redemptions in one statement. */
const MAX_PER_READ = 200;

/** readAttempt's statement for many redemptions at once, in the order asked. */
const SELECT_ATTEMPTS = `
select
  asked.ord,
  stored.response as stored_response,
  stored.request_hash as stored_request_hash,
  me.id as me_id,
  me.revoked_at as me_revoked_at,
  codes.code, codes.batch_id, codes.state, codes.claimed_at, codes.redeemed_at,
  codes.redeemed_store_id, codes.redeemed_terminal_id, codes.redemption_id,
  batches.doc, batches.version,
  terminals.name as redeemed_terminal_name
from unnest($1::text[], $2::text[], $3::text[]) with ordinality as asked(terminal_id, id, code, ord)
left join redemptions as stored on stored.terminal_id = asked.terminal_id and stored.id = asked.id
left join terminals as me on me.id = asked.terminal_id
left join codes on codes.code = asked.code
left join batches on batches.id = codes.batch_id
left join terminals on terminals.id = codes.redeemed_terminal_id`;

/**
 * PostgreSQL: reads what single redemptions are decided on (redeem.ts
 * readAttempt) before their write job, for all the requests that arrived
 * together in one statement on the pool. The commit group then runs one
 * statement per redemption (the take) instead of two, and its jobs run one
 * after another on its connection, so that halves the round trips every
 * redemption of the group waits for.
 *
 * Why deciding on a read made outside the write's transaction is safe: the
 * write is conditional. A code taken since is not taken again (the update
 * wants state 'issued'; the redemption is then refused as lost, from a fresh
 * read); an id recorded since makes the insert do nothing and the job throw
 * AlreadyRecorded, after which it runs again reading inside its transaction
 * and replays. What is read is committed state a moment older than the
 * transaction's own first read would be, as if the request had come that
 * moment earlier: an unpairing or a batch edit that commits after it is
 * ordered after this redemption, one that committed before it is seen (the
 * read goes to the database, never to the terminal cache).
 */
export class AttemptReads {
  private waiting: Asked[] = [];
  private scheduled = false;

  constructor(private readonly reader: Reader) {}

  read(terminalId: string, id: string, code: string): Promise<AttemptData> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ terminalId, id, code, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // Next turn: requests parsed in this one share the statement.
      setImmediate(() => {
        this.scheduled = false;
        const asked = this.waiting;
        this.waiting = [];
        for (let i = 0; i < asked.length; i += MAX_PER_READ)
          void this.readSome(asked.slice(i, i + MAX_PER_READ));
      });
    });
  }

  private async readSome(asked: readonly Asked[]): Promise<void> {
    try {
      const rows = (
        await this.reader.run<AttemptRow & { ord: number }>(SELECT_ATTEMPTS, [
          asked.map((a) => a.terminalId),
          asked.map((a) => a.id),
          asked.map((a) => a.code),
        ])
      ).rows;
      const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
      asked.forEach((a, i) => {
        const row = byOrd.get(i + 1);
        if (row) a.resolve(attemptData(row));
        else a.reject(new Error('the batched redemption read lost a row'));
      });
    } catch (error) {
      for (const a of asked) a.reject(error);
    }
  }
}
