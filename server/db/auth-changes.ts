import type pg from 'pg';

/** The channel a commit that changed terminals or stores notifies on (PostgreSQL). */
export const AUTH_CHANNEL = 'tillpoint_auth';
/** Wait before a lost LISTEN connection is opened again. */
const RELISTEN_MS = 1_000;

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
  /** Gives the LISTEN connection back, destroyed (once). */
  private release: () => void = () => undefined;
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
   * the server down: every look-up then reads the database until a new LISTEN
   * connection is up (tried again every RELISTEN_MS).
   */
  async listen(pool: pg.Pool): Promise<void> {
    if (this.closed) return;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch {
      this.listenLater(pool);
      return;
    }
    let released = false;
    const lost = () => {
      if (this.listening === client) {
        this.listening = null;
        this.changed();
      }
      // Destroyed and given back, or the pool's end() would wait for it forever.
      if (!released) {
        released = true;
        client.release(true);
        this.listenLater(pool);
      }
    };
    client.on('notification', (n) => {
      if (n.channel === AUTH_CHANNEL) this.changed();
    });
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
    } catch {
      lost();
      return;
    }
    if (this.closed || released) {
      lost();
      return;
    }
    this.listening = client;
    this.release = lost;
    // Whatever was cached before the LISTEN took effect may have missed a notice.
    this.changed();
  }

  private listenLater(pool: pg.Pool): void {
    if (this.closed) return;
    setTimeout(() => void this.listen(pool), RELISTEN_MS).unref();
  }

  /** Ends the LISTEN connection (destroyed, not returned to the pool, as the nudges' one). */
  close(): void {
    this.closed = true;
    this.release();
    this.changed();
  }
}
