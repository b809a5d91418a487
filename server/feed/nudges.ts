import type pg from 'pg';
import type { ServerEvent } from '../../core/protocol';
import type { Storage } from '../db/storage';
import { feedHead } from './changes';
import { encodeCursor } from './cursor';

/** Wait before a lost LISTEN connection is opened again (as db/auth-changes.ts does). */
const RELISTEN_MS = 1_000;

/** Anything that can receive a nudge (a WebSocket). */
export interface NudgeTarget {
  send(text: string): void;
}

/**
 * Tells connected terminals that the change feed moved. Nudges are hints to
 * pull, so bursts are coalesced: at most one message per interval carrying
 * the latest cursor. On PostgreSQL the hub also LISTENs, so a write on any
 * instance nudges the terminals connected to every instance.
 */
export class NudgeHub {
  private readonly targets = new Set<NudgeTarget>();
  private pending: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Gives the LISTEN connection back, destroyed (once). */
  private dropListener: () => void = () => undefined;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly storage: Storage,
    /** The store's feed epoch (feed/cursor.ts), carried by every cursor sent. */
    private readonly epoch: string,
    private readonly intervalMs = 100,
  ) {
    this.unsubscribe = storage.onFeedMoved((seq) => this.moved(seq));
  }

  /**
   * PostgreSQL: receive the pg_notify every committed feed write sends, on any instance. A
   * lost LISTEN connection (a PostgreSQL restart or failover, an idle-session cut) is opened
   * again every RELISTEN_MS until it is back, then the terminals are nudged with the feed head,
   * for what was committed elsewhere meanwhile. Without that, this instance's terminals would
   * hear only of writes made here, and of the rest only by polling, until a restart.
   */
  async listen(pool: pg.Pool): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      this.listenLater(pool);
      throw e;
    }
    let lost = false;
    const drop = () => {
      if (lost) return;
      lost = true;
      // Destroyed and given back, or the pool's end() would wait for it forever.
      client.release(true);
      this.listenLater(pool);
    };
    client.on('notification', (n) => {
      const seq = Number(n.payload);
      if (Number.isSafeInteger(seq)) this.moved(seq);
    });
    client.on('error', drop);
    client.on('end', drop);
    try {
      await client.query('LISTEN tillpoint_changes');
    } catch (e) {
      drop();
      throw e;
    }
    if (this.closed) {
      drop();
      return;
    }
    this.dropListener = drop;
  }

  private listenLater(pool: pg.Pool): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.listen(pool).then(
        () =>
          feedHead(this.storage.db).then(
            (head) => {
              if (!this.closed && head > 0) this.moved(head);
            },
            () => undefined, // Terminals poll; the next write nudges them anyway.
          ),
        () => undefined, // listen() has already planned the next try.
      );
    }, RELISTEN_MS).unref();
  }

  add(target: NudgeTarget): () => void {
    this.targets.add(target);
    return () => this.targets.delete(target);
  }

  get size(): number {
    return this.targets.size;
  }

  moved(seq: number): void {
    if (this.pending === null || seq > this.pending) this.pending = seq;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const seq2 = this.pending;
      this.pending = null;
      if (seq2 === null) return;
      const event: ServerEvent = { type: 'changes', cursor: encodeCursor(seq2, this.epoch) };
      const text = JSON.stringify(event);
      for (const t of this.targets) {
        try {
          t.send(text);
        } catch {
          // A socket closing under us; its close handler removes it.
        }
      }
    }, this.intervalMs);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Destroyed, not returned: a pooled client that still LISTENs would hand
    // notifications to whichever query borrowed it next, and pool.end() would
    // have to close it anyway.
    this.dropListener();
    this.targets.clear();
  }
}
