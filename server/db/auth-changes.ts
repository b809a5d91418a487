import type pg from 'pg';

/** The channel a commit that changed terminals or stores notifies on (PostgreSQL). */
export const AUTH_CHANNEL = 'tillpoint_auth';

/**
 * Tells caches of who a token belongs to (auth/terminal-cache.ts) that what
 * they hold may be stale: a terminal was unpaired, a store's time zone or
 * groups changed. Writes that change those facts call WriteTx.authChanged();
 * that bumps the epoch here at once, again once their group committed, and
 * on PostgreSQL sends a NOTIFY with the commit, which every instance (this
 * one too) receives on its LISTEN connection and turns into a bump.
 *
 * A cache may serve an entry only while `trusted`: on PostgreSQL that is only
 * while the LISTEN connection is up, since a change made by another instance
 * reaches this one only through it. Without it every look-up reads the
 * database, as it did before there was a cache.
 */
export class AuthChanges {
  private epochValue = 0;
  private listening: pg.PoolClient | null = null;
  private closed = false;

  /** `needsListen`: PostgreSQL, where other instances write too. */
  constructor(private readonly needsListen: boolean) {}

  /** Moves on every change; an entry loaded at another epoch must not be stored. */
  get epoch(): number {
    return this.epochValue;
  }

  /** Whether cached facts may be served (PostgreSQL: while the LISTEN connection is up). */
  get trusted(): boolean {
    return !this.needsListen || this.listening !== null;
  }

  changed(): void {
    this.epochValue += 1;
  }

  /**
   * PostgreSQL: LISTENs on its own pooled connection (the feed nudges have
   * theirs, feed/nudges.ts; this one stays with the storage, which is where
   * the writes that notify are). A failure leaves the cache untrusted, never
   * the server down: every look-up then reads the database.
   */
  async listen(pool: pg.Pool): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch {
      return;
    }
    const lost = () => {
      if (this.listening !== client) return;
      this.listening = null;
      this.changed();
    };
    client.on('notification', (n) => {
      if (n.channel === AUTH_CHANNEL) this.changed();
    });
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
    } catch {
      client.release(true);
      return;
    }
    if (this.closed) {
      client.release(true);
      return;
    }
    this.listening = client;
    // Whatever was cached before the LISTEN took effect may have missed a notice.
    this.changed();
  }

  /** Ends the LISTEN connection (destroyed, not returned to the pool, as the nudges' one). */
  close(): void {
    this.closed = true;
    const client = this.listening;
    this.listening = null;
    this.changed();
    client?.release(true);
  }
}
