import type pg from 'pg';
import type { ServerEvent } from '../../core/protocol';
import type { Storage } from '../db/storage';
import { encodeCursor } from './cursor';

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
  private listener: pg.PoolClient | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    storage: Storage,
    /** The store's feed epoch (feed/cursor.ts), carried by every cursor sent. */
    private readonly epoch: string,
    private readonly intervalMs = 100,
  ) {
    this.unsubscribe = storage.onFeedMoved((seq) => this.moved(seq));
  }

  /** PostgreSQL: receive the pg_notify every committed feed write sends. */
  async listen(pool: pg.Pool): Promise<void> {
    const client = await pool.connect();
    client.on('notification', (n) => {
      const seq = Number(n.payload);
      if (Number.isSafeInteger(seq)) this.moved(seq);
    });
    client.on('error', () => {
      // The LISTEN connection dropped; terminals keep polling, nothing is lost.
    });
    await client.query('LISTEN tillpoint_changes');
    this.listener = client;
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
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Destroyed, not returned: a pooled client that still LISTENs would hand
    // notifications to whichever query borrowed it next, and pool.end() would
    // have to close it anyway.
    this.listener?.release(true);
    this.listener = null;
    this.targets.clear();
  }
}
