import type { Batch } from '../../core/vouchers';

/**
 * Parsed batch documents keyed by id and version. The database stays the
 * source of truth: a row read with another version replaces the entry, so the
 * cache can never serve a batch another instance has changed.
 */
export class BatchCache {
  private readonly entries = new Map<string, { version: number; batch: Batch }>();

  get(id: string, version: number, doc: string): Batch {
    const hit = this.entries.get(id);
    if (hit && hit.version === version) return hit.batch;
    const batch = JSON.parse(doc) as Batch;
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(id, { version, batch });
    return batch;
  }
}
