import type { AuthChanges } from '../db/auth-changes';

/** A paired terminal and its store, as authentication reads them. */
export interface TerminalRow {
  readonly id: string;
  readonly store_id: string;
  readonly revoked_at: string | null;
  readonly time_zone: string;
  readonly group_ids: string;
}

/** An entry older than this is read again even if no change was heard of (a bound, not the mechanism). */
const MAX_AGE_MS = 5_000;
/** Tokens remembered at most; past it the cache starts again empty. */
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly row: TerminalRow;
  readonly loadedAt: number;
}

/**
 * The terminal behind each token hash, so that a terminal request does not
 * read the database to learn who sent it: on PostgreSQL that look-up was a
 * round trip of its own on every request (one of seven on a redemption).
 *
 * Why a revoked token still stops at once: every write that unpairs a
 * terminal or edits a store calls WriteTx.authChanged(), which moves the
 * epoch of AuthChanges when the job runs and again when its group committed,
 * before the caller is answered; an entry is served only at the epoch it was
 * loaded at, and a load that saw the epoch move while it ran is not kept (it
 * may have read the state before the commit). Other instances learn of the
 * change by the NOTIFY sent with the commit (db/auth-changes.ts), a moment
 * later; the cache is used only while that LISTEN connection is up. The
 * redemption's own statement checks the terminal again inside its
 * transaction (ledger/redeem-statements.ts), so a write from an unpaired
 * terminal is refused on every instance from the unpairing's commit on.
 * Unknown and revoked tokens are never cached, nor are sessions (cashier
 * and manager sessions are read on every request: logout must hold at once
 * too, and they are not on the redemption path).
 */
export class TerminalCache {
  private readonly entries = new Map<string, Entry>();
  private epoch = -1;

  constructor(private readonly changes: AuthChanges) {}

  async get(
    tokenHash: string,
    load: () => Promise<TerminalRow | undefined>,
  ): Promise<TerminalRow | undefined> {
    const { changes } = this;
    if (!changes.trusted) return load();
    if (this.epoch !== changes.epoch) {
      this.entries.clear();
      this.epoch = changes.epoch;
    }
    const now = performance.now();
    const hit = this.entries.get(tokenHash);
    if (hit && now - hit.loadedAt < MAX_AGE_MS) return hit.row;
    const epoch = changes.epoch;
    const row = await load();
    // Kept only if nothing changed while it loaded: this.epoch is still `epoch` then.
    if (row && row.revoked_at === null && changes.trusted && changes.epoch === epoch) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(tokenHash, { row, loadedAt: now });
    }
    return row;
  }
}
