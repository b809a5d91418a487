import type { ApiErrorCode } from '../../core/protocol';
import { prepared, type Slots } from '../db/prepared';
import type { WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';

/**
 * Counters of what is being guessed, kept in the database (auth_limits) so
 * that every server instance counts the same guesses. Each is keyed by what
 * is counted and by whom: a terminal id (taken from a verified token, never
 * from header text), a user name, a client address.
 */
export type LimitKind =
  /** PIN logins per terminal, per window. */
  | 'pin_attempts'
  /** PIN logins per terminal since the last success: at the limit, PIN sign-in locks until a manager unlocks it. */
  | 'pin_failures'
  /** Password logins per client address, per window. */
  | 'login_attempts'
  /** Password logins per user name since the last success, per window. */
  | 'password_failures'
  /** Pairing attempts per client address, per window. */
  | 'pair_attempts'
  /** Code look-ups per terminal, per window. */
  | 'lookups'
  /** Member look-ups (by card or phone) per terminal, per window: phone numbers can be guessed. */
  | 'member_lookups'
  /** Claims on the public claim pages per client address, per window. */
  | 'claims';

export interface LimitRule {
  readonly max: number;
  /** null: the count never lapses; only a reset (a success, a manager) clears it. */
  readonly windowMs: number | null;
}

export interface Tally {
  /** This attempt's number within the window, this one included. */
  readonly count: number;
  /** Whether this attempt is beyond the rule's max. */
  readonly over: boolean;
  /** Seconds until the window lapses; null for counts that never lapse. */
  readonly retryAfterS: number | null;
}

// Compiled once (db/prepared.ts): every claim and login counts, and Kysely would rebuild it.
const upsertCount = prepared(
  (db, p: Slots<{ what: string; subject: string; now: string; lapsedBefore: string }>) =>
    db
      .insertInto('auth_limits')
      .values({ what: p('what'), subject: p('subject'), window_start: p('now'), count: 1 })
      .onConflict((oc) =>
        oc.columns(['what', 'subject']).doUpdateSet((eb) => {
          const lapsed = eb('auth_limits.window_start', '<=', p('lapsedBefore'));
          return {
            count: eb
              .case()
              .when(lapsed)
              .then(eb.lit(1))
              .else(eb('auth_limits.count', '+', eb.lit(1)))
              .end(),
            window_start: eb
              .case()
              .when(lapsed)
              .then(eb.ref('excluded.window_start'))
              .else(eb.ref('auth_limits.window_start'))
              .end(),
          };
        }),
      )
      .returning(['count', 'window_start']),
);

/**
 * Counts one attempt and says whether it is within the rule, in one
 * conditional upsert: a lapsed window starts again at 1, otherwise the count
 * goes up by one. PostgreSQL locks the row for the update, so concurrent
 * attempts on any instance get distinct counts; on SQLite write jobs are
 * serial. Count before the work it guards (the verifying of a PIN), so a
 * burst cannot pass the limit while its attempts are still being checked,
 * and run it in a write job of its own: a job that throws undoes its count.
 */
export async function countAttempt(
  w: WriteTx,
  what: LimitKind,
  subject: string,
  rule: LimitRule,
  now: string,
): Promise<Tally> {
  // ISO-8601 UTC text compares in time order; '' is before every instant.
  const lapsedBefore =
    rule.windowMs === null ? '' : new Date(Date.parse(now) - rule.windowMs).toISOString();
  const { rows } = await upsertCount(w, { what, subject, now, lapsedBefore });
  const row = rows[0];
  if (!row) throw new Error(`the ${what} count of ${subject} returned no row`);
  const count = Number(row.count);
  const retryAfterS =
    rule.windowMs === null
      ? null
      : Math.max(
          1,
          Math.ceil((Date.parse(row.window_start) + rule.windowMs - Date.parse(now)) / 1000),
        );
  return { count, over: count > rule.max, retryAfterS };
}

/** Clears a count (a successful login, a manager's unlock); returns what it was. */
export async function resetCount(w: WriteTx, what: LimitKind, subject: string): Promise<number> {
  const row = await w.trx
    .deleteFrom('auth_limits')
    .where('what', '=', what)
    .where('subject', '=', subject)
    .returning('count')
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/**
 * Kinds whose count lapses with its window. pin_failures does not: it counts until a success
 * or a manager's unlock, so its rows are never pruned.
 */
const LAPSING_KINDS: readonly LimitKind[] = [
  'pin_attempts',
  'login_attempts',
  'password_failures',
  'pair_attempts',
  'lookups',
  'member_lookups',
  'claims',
];

/**
 * Longer than any window of a lapsing kind (a minute; the password lock's minutes): a count
 * whose window started before this is lapsed, and an upsert would start it again at 1 as if
 * the row were not there, so deleting it changes no answer.
 */
export const LAPSED_AFTER_MS = 86_400_000;

/**
 * Deletes up to `batch` lapsed counts. Without it the table keeps a row for every client
 * address that ever claimed or tried a login: phones on a claim page are many.
 */
export async function pruneLapsedCounts(w: WriteTx, now: string, batch: number): Promise<number> {
  const before = new Date(Date.parse(now) - LAPSED_AFTER_MS).toISOString();
  let deleted = 0;
  for (const what of LAPSING_KINDS) {
    if (deleted >= batch) break;
    const stale = await w.trx
      .selectFrom('auth_limits')
      .select('subject')
      .where('what', '=', what)
      .where('window_start', '<', before)
      .limit(batch - deleted)
      .execute();
    if (stale.length === 0) continue;
    const result = await w.trx
      .deleteFrom('auth_limits')
      .where('what', '=', what)
      .where(
        'subject',
        'in',
        stale.map((r) => r.subject),
      )
      // A count that started again meanwhile is live: it stays.
      .where('window_start', '<', before)
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/** A limit was reached; `retryAfterS` goes out as the Retry-After header when known. */
export class LimitError extends HttpError {
  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    readonly retryAfterS: number | null,
  ) {
    super(status, code, message);
  }
}

/** The 429 of a windowed limit. */
export function tooMany(what: string, tally: Tally): LimitError {
  const wait = tally.retryAfterS ?? 60;
  return new LimitError(
    429,
    'RATE_LIMITED',
    `Too many ${what}; wait ${wait} s and try again (see the Retry-After header).`,
    wait,
  );
}
